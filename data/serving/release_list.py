"""Read the release list from the serving file (no pyiceberg needed)."""
import duckdb


def release_rows(path):
    """Return the releases table of the serving file at path as dicts, or None without one."""
    if not path.exists():
        return None
    with duckdb.connect(str(path), read_only=True) as con:
        # A file of an older version (releases without commodity_code) has no list this version can read.
        found = con.execute("SELECT count(*) FROM duckdb_columns() WHERE table_name = 'releases' "
                            "AND column_name = 'commodity_code'").fetchall()[0][0]
        if not found:
            return None
        cursor = con.execute("SELECT * FROM releases ORDER BY commodity_code, release_id")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]
