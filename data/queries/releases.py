"""SQL over the serving file's release tables: the release list, revisions between two releases, track records."""
from data.queries import scope
from data.serving.reader import cached


def _frame(con, sql, params):
    """Run sql with bound params on con and return a pandas DataFrame."""
    return con.execute(sql, list(params)).df()


@cached
def release_list(con, commodity=None):
    """Return the commodity's releases, oldest first, with their counts of revised, new and dropped values."""
    return _frame(
        con,
        "SELECT release_id, loaded_at, previous_release_id, revised_values, new_values, dropped_values "
        "FROM releases WHERE commodity_code = ? ORDER BY release_id",
        [scope.code(commodity)],
    )


@cached
def latest_unknown_countries(con, commodity=None):
    """Return {"release_id", "codes"} of the commodity's latest release: the unknown USDA codes it loaded."""
    rows = con.execute("SELECT release_id, unknown_country_codes FROM releases WHERE commodity_code = ? "
                       "ORDER BY release_id DESC LIMIT 1", [scope.code(commodity)]).fetchall()
    return {"release_id": rows[0][0], "codes": rows[0][1] or ""} if rows else {"release_id": None, "codes": ""}


def _diff_sql(table, keys, metrics, labels=()):
    """Return SQL comparing table's stored metrics between release ? (old) and release ? (new).

    The two releases' wide rows are joined first and only then turned into one row per metric:
    far less work than joining the unpivoted releases.
    """
    on = " AND ".join(f"o.{k} = n.{k}" for k in keys)
    picked = ", ".join(f"coalesce(n.{k}, o.{k}) AS {k}" for k in (*keys, *labels))
    pairs = ", ".join(f"{{'metric': '{m}', 'old': o.{m}, 'new': n.{m}}}" for m in metrics)
    return f"""
        WITH o AS (SELECT * FROM {table} WHERE release_id = ? AND commodity_code = ?),
             n AS (SELECT * FROM {table} WHERE release_id = ? AND commodity_code = ?),
             pairs AS (SELECT {picked}, unnest([{pairs}]) AS p FROM o FULL JOIN n ON {on})
        SELECT {", ".join((*keys, *labels))}, p.metric AS metric, p.old AS old_value, p.new AS new_value,
               p.new - p.old AS change,
               CASE WHEN p.old <> 0 THEN 100 * (p.new - p.old) / abs(p.old) END AS pct,
               CASE WHEN p.old IS NULL THEN 'new' WHEN p.new IS NULL THEN 'dropped' ELSE 'revised' END AS kind
        FROM pairs WHERE p.old IS DISTINCT FROM p.new
    """


@cached
def country_revisions(con, old, new, commodity=None):
    """Return every country value that differs between two releases, largest absolute change first."""
    commodity = scope.code(commodity)
    order = "ORDER BY kind = 'revised' DESC, abs(change) DESC NULLS LAST, country_code, market_year, metric"
    previous = con.execute("SELECT previous_release_id FROM releases WHERE release_id = ? AND commodity_code = ?",
                           [new, commodity]).fetchall()
    previous = previous[0] if previous else None
    if previous is not None and previous[0] == old:
        # Consecutive releases: the export already compared them.
        return _frame(
            con,
            "SELECT country_code, market_year, country, metric, old_value, new_value, change, pct, kind "
            "FROM revisions WHERE release_id = ? AND previous_release_id = ? AND commodity_code = ? "
            f"AND metric IS NOT NULL {order}",
            [new, old, commodity],
        )
    sql = _diff_sql("obt_commodity_metrics_history", ("country_code", "market_year"), scope.commodity(commodity).metrics,
                    ("country",))
    return _frame(con, f"{sql} {order}", [old, commodity, new, commodity])


@cached
def world_revisions(con, old, new, commodity=None):
    """Return the world totals that differ between two releases, by market year and metric."""
    commodity = scope.code(commodity)
    sql = _diff_sql("obt_world_metrics_history", ("market_year",), scope.commodity(commodity).metrics)
    return _frame(con, f"{sql} ORDER BY market_year, metric", [old, commodity, new, commodity])


@cached
def track_record(con, country_code, metric, year, commodity=None):
    """Return the value of metric for one country and market year as each release published it."""
    commodity = scope.code(commodity)
    col = scope.metric(metric, commodity)
    return _frame(
        con,
        f"SELECT r.release_id, r.loaded_at, h.{col} AS value FROM releases r "
        "JOIN obt_commodity_metrics_history h ON h.release_id = r.release_id AND h.commodity_code = r.commodity_code "
        "WHERE h.commodity_code = ? AND h.country_code = ? AND h.market_year = ? ORDER BY r.release_id",
        [commodity, country_code, year],
    )


@cached
def largest_revision(con, release_id, commodity=None):
    """Return the release's largest revised value (by absolute change) as a dict, or None."""
    commodity = scope.code(commodity)
    cursor = con.execute(
        "SELECT country, metric, market_year, old_value, new_value, change FROM revisions "
        "WHERE release_id = ? AND commodity_code = ? AND kind = 'revised' "
        "ORDER BY abs(change) DESC, country_code, market_year LIMIT 1",
        [release_id, commodity],
    )
    row = cursor.fetchone()
    return None if row is None else dict(zip([d[0] for d in cursor.description], row))
