"""GET /api/v1/metrics: metrics by country and market year as JSON or CSV."""
import math
import re

from flask import Blueprint, Response, jsonify, request

from auth import usage
from auth.access import SUBSCRIBER, requires
from data.serving import as_of
from data.queries import metrics as queries
from data.queries import regions as region_queries
from data.queries import releases as release_queries
from data.schema import COFFEE, METRICS
from data.serving.reader import NoData
from web import places

bp = Blueprint("api", __name__, url_prefix="/api/v1")

INTEGER = re.compile(r"^-?\d{1,6}$")
MAX_VALUES = 300
FORMATS = ("json", "csv")


class BadRequest(Exception):
    """A parameter failed its check; the message goes back to the client."""


def _values(name):
    """Return the repeated (or comma-separated) values of a parameter, stripped and de-duplicated."""
    raw = request.args.getlist(name)
    items = [part.strip() for value in raw for part in value.split(",") if part.strip()]
    if len(items) > MAX_VALUES:
        raise BadRequest(f"too many {name} values (at most {MAX_VALUES})")
    return list(dict.fromkeys(items))


def _year(name):
    """Return an integer year parameter, None when absent."""
    value = request.args.get(name)
    if value is None or value.strip() == "":
        return None
    if not INTEGER.match(value.strip()):
        raise BadRequest(f"{name} must be an integer market year, got {value[:20]!r}")
    return int(value)


def _release():
    """Return the as_of release asked for (None: the latest), or raise BadRequest."""
    value = request.args.get("as_of")
    if value is None or value.strip() == "":
        return None
    value = value.strip()
    known = tuple(release_queries.release_list()["release_id"])
    if not as_of.is_release_id(value) or value not in known:
        raise BadRequest(f"unknown release {value[:20]!r} for as_of; known: {', '.join(known)}")
    return value


def _params():
    """Return checked (commodity, metrics, countries, start, end, format) from the query string."""
    fmt = request.args.get("format", "json").strip().lower()
    if fmt not in FORMATS:
        raise BadRequest("format must be json or csv")
    commodity = request.args.get("commodity", COFFEE).strip()
    known_commodities = set(queries.commodities()["commodity_code"])
    if commodity not in known_commodities:
        raise BadRequest(f"unknown commodity {commodity[:20]!r}; known: {', '.join(sorted(known_commodities))}")
    metrics = _values("metric")
    if not metrics:
        raise BadRequest(f"metric is required; known: {', '.join(METRICS)}")
    unknown = [m for m in metrics if m not in METRICS]
    if unknown:
        raise BadRequest(f"unknown metric {unknown[0][:40]!r}; known: {', '.join(METRICS)}")
    known_countries = set(queries.countries(commodity)["country_code"])
    try:
        countries = places.checked(_values("country"), known_countries) or sorted(known_countries)
    except ValueError as exc:
        raise BadRequest(str(exc)) from exc
    first, last = queries.year_range(commodity)
    start, end = _year("start"), _year("end")
    start = first if start is None else start
    end = last if end is None else end
    if start > end:
        raise BadRequest("start must not be after end")
    return commodity, metrics, countries, start, end, fmt


def _number(value):
    """Return a JSON-safe number: NaN and infinities become None."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


@bp.get("/metrics")
@requires(SUBSCRIBER)
def metrics():
    """Return the requested metrics by country and market year."""
    try:
        release = _release()
        with as_of.release_scope(release):
            commodity, names, countries, start, end, fmt = _params()
            frame = region_queries.series(tuple(names), tuple(countries), start, end, commodity)
            info = queries.commodities()
    except BadRequest as exc:
        return jsonify(error=str(exc)), 400
    except NoData:
        return jsonify(error="no data loaded yet"), 503
    row = info[info["commodity_code"] == commodity].iloc[0]
    usage.record(usage.API_CALL, usage.api_client())
    columns = ["country_code", "country", "market_year", *names]
    frame = frame[columns]
    if fmt == "csv":
        body = frame.to_csv(index=False)
        filename = f"beanflows-{commodity}-{start}-{end}{'-as-of-' + release if release else ''}.csv"
        return Response(body, mimetype="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})
    rows = [
        {"country_code": code, "country": country, "market_year": int(year),
         **{m: _number(v) for m, v in zip(names, values)}}
        for code, country, year, *values in frame.itertuples(index=False, name=None)
    ]
    return jsonify(commodity=commodity, commodity_name=row["commodity"], unit=row["unit"],
                   metrics=names, start=start, end=end, as_of=release, rows=rows)


@bp.get("/", defaults={"rest": ""})
@bp.get("/<path:rest>")
@requires(SUBSCRIBER)
def unknown(rest):
    """Answer any other path under the API in JSON, so it never falls through to a dashboard page."""
    return jsonify(error="no such API endpoint; the API is GET /api/v1/metrics, GET /api/v1/enso and GET /api/v1/prices"), 404
