"""As published: run a query on the values one release published instead of the latest ones."""
import re
from contextlib import contextmanager
from contextvars import ContextVar

from data.serving.metrics_sql import ranks_select

RELEASE_ID = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")  # YYYY-MM; anchored for OpenAPI's pattern too

_current = ContextVar("beanflows_release", default=None)


def is_release_id(value):
    """Return True when value is a release id, YYYY-MM (no trailing newline)."""
    return isinstance(value, str) and RELEASE_ID.fullmatch(value) is not None


def current():
    """Return the release the running request asked for, None for the latest values."""
    return _current.get()


@contextmanager
def release_scope(release):
    """Run the block's queries on the values release published (None: the latest)."""
    token = _current.set(release)
    try:
        yield
    finally:
        _current.reset(token)


def scoped(sql, params, release):
    """Return (sql, params) reading the release's history rows where sql names the latest tables.

    CTEs named like the serving tables shadow them, so every query keeps its own text. The release id
    is a bound parameter: numbered ($n) when the query numbers its own parameters, else positional.
    """
    params = list(params)
    if release is None:
        return sql, params
    if re.search(r"\$\d", sql):
        marker, params = f"${len(params) + 1}", params + [release]
    else:
        marker, params = "?", [release, release] + params
    prefix = (
        f"WITH obt_commodity_metrics AS (SELECT * EXCLUDE (release_id) FROM obt_commodity_metrics_history "
        f"WHERE release_id = {marker}), "
        f"obt_world_metrics AS (SELECT * EXCLUDE (release_id) FROM obt_world_metrics_history "
        f"WHERE release_id = {marker}), "
        f"obt_country_ranks AS (SELECT commodity_code, country_code, market_year, {ranks_select()} "
        f"FROM obt_commodity_metrics)"
    )
    body = sql.lstrip()
    if body[:4].upper() == "WITH":
        return f"{prefix}, {body[4:]}", params
    return f"{prefix} {body}", params
