"""GET /api/v1/enso: NOAA's Oceanic Niño Index by season, or the ENSO phase of countries' market years."""
from flask import Blueprint, Response, jsonify, request

from auth.access import SUBSCRIBER, requires
from data.queries import enso as enso_queries
from data.reference import enso_rule
from data.queries import metrics as queries
from data.schema import WORLD
from data.serving.reader import NoData
from web.api import FORMATS, BadRequest, _number, _values, _year, commodity_param

bp = Blueprint("enso_api", __name__, url_prefix="/api/v1")

SEASON_COLUMNS = ("season", "year", "oni", "total")
PHASE_COLUMNS = ("country_code", "market_year", "window_start", "window_end", "oni", "el_nino_seasons",
                 "la_nina_seasons", "phase")
NOT_LOADED = "ENSO data is not loaded yet (an operator runs `flask --app app enso ingest`)"


class NotLoaded(Exception):
    """No ONI release is in the serving file."""


def _release(known):
    """Return the ENSO release asked for with as_of (None: the latest), or raise BadRequest."""
    value = (request.args.get("as_of") or "").strip()
    if not value:
        return None
    if value not in known:
        raise BadRequest(f"unknown ENSO release {value[:20]!r} for as_of; known: {', '.join(known)}")
    return value


def _params():
    """Return checked (format, release, countries, start, end, commodity) from the query string."""
    fmt = request.args.get("format", "json").strip().lower()
    if fmt not in FORMATS:
        raise BadRequest("format must be json or csv")
    known = tuple(enso_queries.releases()["release_id"])
    if not known:
        raise NotLoaded()
    release = _release(known)
    countries = [code.upper() for code in _values("country")]
    commodity = commodity_param()
    valid = set(queries.countries(commodity.code)["country_code"]) | {WORLD}
    unknown = [code for code in countries if code not in valid]
    if unknown:
        raise BadRequest(f"unknown country {unknown[0][:20]!r}: an ISO3 code as served, or {WORLD}")
    start, end = _year("start"), _year("end")
    if start is not None and end is not None and start > end:
        raise BadRequest("start must not be after end")
    return fmt, release, countries, start, end, commodity


def _phase_rows(countries, start, end, release, commodity):
    """Return the phase rows of countries' market years of commodity (start/end default to the seasons' years)."""
    seasons = enso_queries.seasons(None, None, release)
    first = start if start is not None else int(seasons["year"].min()) + 1
    last = end if end is not None else int(seasons["year"].max()) + 1
    frame = enso_queries.phases(tuple(countries), first, last, release, commodity.slug)
    windows = [enso_rule.window(code, int(year), commodity)
               for code, year in zip(frame["country_code"], frame["market_year"])]
    frame["window_start"] = [w[0] for w in windows]
    frame["window_end"] = [w[1] for w in windows]
    return frame[list(PHASE_COLUMNS)]


@bp.get("/enso")
@requires(SUBSCRIBER)
def enso():
    """Return NOAA's Oceanic Niño Index by season, or with country the ENSO phase of each market year."""
    try:
        fmt, release, countries, start, end, commodity = _params()
        if countries:
            frame = _phase_rows(countries, start, end, release, commodity)
        else:
            frame = enso_queries.seasons(start, end, release)[list(SEASON_COLUMNS)]
        latest = enso_queries.releases()["release_id"].iloc[-1]
    except BadRequest as exc:
        return jsonify(error=str(exc)), 400
    except (NoData, NotLoaded):
        return jsonify(error=NOT_LOADED), 503
    if fmt == "csv":
        name = f"beanflows-enso-{'phases' if countries else 'oni'}-{release or latest}.csv"
        return Response(frame.to_csv(index=False), mimetype="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
    rows = [{key: _cell(value) for key, value in zip(frame.columns, values)}
            for values in frame.itertuples(index=False, name=None)]
    body = {"source": "NOAA Climate Prediction Center, Oceanic Niño Index (oni.ascii.txt)",
            "release": release or latest, "as_of": release, "start": start, "end": end,
            "kind": "phases" if countries else "seasons", "rows": rows}
    if countries:
        body["rule"] = enso_rule.RULE
    return jsonify(body)


def _cell(value):
    """Return a JSON value: integers as int, numbers as finite floats or None, text as is."""
    if isinstance(value, str):
        return value
    if float(value).is_integer() and not isinstance(value, float):
        return int(value)
    return _number(value)
