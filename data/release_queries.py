"""SQL over the serving file's release tables: the release list, revisions between two releases, track records."""
from data.schema import BASE_METRICS, COFFEE, check_metric
from data.serving import cached

# Stored metrics as rows (metric, value); the names come from the constant schema list.
_UNPIVOT = ", ".join(BASE_METRICS)


def _frame(con, sql, params):
    """Run sql with bound params on con and return a pandas DataFrame."""
    return con.execute(sql, list(params)).df()


@cached
def release_list(con):
    """Return every release, oldest first, with its counts of revised, new and dropped values."""
    return _frame(
        con,
        "SELECT release_id, loaded_at, previous_release_id, revised_values, new_values, dropped_values "
        "FROM releases ORDER BY release_id",
        [],
    )


def _diff_sql(table, keys, labels=()):
    """Return SQL comparing table's stored metrics between release ? (old) and release ? (new)."""
    on = " AND ".join(f"o.{k} = n.{k}" for k in ("metric", *keys))
    picked = ", ".join(f"coalesce(n.{k}, o.{k}) AS {k}" for k in (*keys, *labels))
    return f"""
        WITH o AS (UNPIVOT (SELECT * FROM {table} WHERE release_id = ? AND commodity_code = ?)
                   ON {_UNPIVOT} INTO NAME metric VALUE value),
             n AS (UNPIVOT (SELECT * FROM {table} WHERE release_id = ? AND commodity_code = ?)
                   ON {_UNPIVOT} INTO NAME metric VALUE value)
        SELECT {picked}, coalesce(n.metric, o.metric) AS metric,
               o.value AS old_value, n.value AS new_value,
               CASE WHEN o.value IS NOT NULL AND n.value IS NOT NULL THEN n.value - o.value END AS change,
               CASE WHEN o.value IS NOT NULL AND n.value IS NOT NULL AND o.value <> 0
                    THEN 100 * (n.value - o.value) / abs(o.value) END AS pct,
               CASE WHEN o.value IS NULL THEN 'new' WHEN n.value IS NULL THEN 'dropped' ELSE 'revised' END AS kind
        FROM o FULL JOIN n ON {on}
        WHERE o.value IS DISTINCT FROM n.value
    """


@cached
def country_revisions(con, old, new, commodity=COFFEE):
    """Return every country value that differs between two releases, largest absolute change first."""
    sql = _diff_sql("obt_commodity_metrics_history", ("country_code", "market_year"), ("country",))
    return _frame(
        con,
        f"{sql} ORDER BY kind = 'revised' DESC, abs(change) DESC NULLS LAST, country_code, market_year, metric",
        [old, commodity, new, commodity],
    )


@cached
def world_revisions(con, old, new, commodity=COFFEE):
    """Return the world totals that differ between two releases, by market year and metric."""
    sql = _diff_sql("obt_world_metrics_history", ("market_year",))
    return _frame(con, f"{sql} ORDER BY market_year, metric", [old, commodity, new, commodity])


@cached
def track_record(con, country_code, metric, year, commodity=COFFEE):
    """Return the value of metric for one country and market year as each release published it."""
    col = check_metric(metric)
    return _frame(
        con,
        f"SELECT r.release_id, r.loaded_at, h.{col} AS value FROM releases r "
        "JOIN obt_commodity_metrics_history h ON h.release_id = r.release_id "
        "WHERE h.commodity_code = ? AND h.country_code = ? AND h.market_year = ? ORDER BY r.release_id",
        [commodity, country_code, year],
    )


@cached
def largest_revision(con, release_id, commodity=COFFEE):
    """Return the release's largest revised value (by absolute change) as a dict, or None."""
    cursor = con.execute(
        "SELECT country, metric, market_year, old_value, new_value, change FROM revisions "
        "WHERE release_id = ? AND commodity_code = ? AND kind = 'revised' "
        "ORDER BY abs(change) DESC, country_code, market_year LIMIT 1",
        [release_id, commodity],
    )
    row = cursor.fetchone()
    return None if row is None else dict(zip([d[0] for d in cursor.description], row))
