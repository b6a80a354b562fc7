"""GET /api/v1/metrics: metrics by country and market year as JSON or CSV."""
import math
import re

from flask import Blueprint, Response, current_app, jsonify, request

from auth import usage
from auth.access import SUBSCRIBER, requires
from data.serving import as_of, behind
from data.queries import metrics as queries
from data.queries import regions as region_queries
from data.queries import releases as release_queries
from data.commodities import UnknownCommodity
from data.commodities.site import served_commodity
from data.serving.reader import NoData
from web import commodities_api, places

bp = Blueprint("api", __name__, url_prefix="/api/v1")

INTEGER = re.compile(r"^-?\d{1,6}$")
MAX_VALUES = 300
FORMATS = ("json", "csv")


class BadRequest(Exception):
    """A parameter failed its check; the message goes back to the client."""


class NotYetServed(Exception):
    """The shared catalog holds the release asked for; this host is still building its file."""

    def __init__(self, release_id, wait):
        super().__init__(f"release {release_id} is published but this host does not serve it yet; "
                         f"try again in {wait} s")
        self.wait = wait


class NotLoaded(Exception):
    """The site serves the commodity, but no release of it is loaded yet."""


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


def commodity_param():
    """Return the served Commodity the commodity parameter names (slug or PSD code; absent: the site's default)."""
    try:
        return served_commodity(request.args.get("commodity"))
    except UnknownCommodity as exc:
        raise BadRequest(str(exc)) from None


def release_param(commodity):
    """Return the as_of release asked for (None: the latest), or raise BadRequest: releases are per commodity."""
    value = request.args.get("as_of")
    if value is None or value.strip() == "":
        return None
    value = value.strip()
    known = tuple(release_queries.release_list(commodity.code)["release_id"])
    if as_of.is_release_id(value) and value not in known:
        wait = behind.retry_after(current_app.config, commodity.code, value)
        if wait is not None:
            raise NotYetServed(value, wait)
    if not as_of.is_release_id(value) or value not in known:
        raise BadRequest(f"unknown release {value[:20]!r} for as_of: not a release of {commodity.slug}; "
                         f"known: {', '.join(known)}")
    return value


def _params(commodity):
    """Return checked (metrics, countries, start, end, format) from the query string."""
    fmt = request.args.get("format", "json").strip().lower()
    if fmt not in FORMATS:
        raise BadRequest("format must be json or csv")
    known_metrics = commodity.all_metrics
    if commodity.code not in set(queries.commodities()["commodity_code"]):
        raise NotLoaded(f"no data loaded yet for {commodity.slug}")
    metrics = _values("metric")
    if not metrics:
        raise BadRequest(f"metric is required; known for {commodity.slug}: {', '.join(known_metrics)}")
    unknown = [m for m in metrics if m not in known_metrics]
    if unknown:
        raise BadRequest(f"unknown metric {unknown[0][:40]!r} for {commodity.slug}; known: {', '.join(known_metrics)}")
    commodity = commodity.code
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
    return metrics, countries, start, end, fmt


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
        declared = commodity_param()
        commodity = declared.code
        release = release_param(declared)
        with as_of.release_scope(release):
            names, countries, start, end, fmt = _params(declared)
            frame = region_queries.series(tuple(names), tuple(countries), start, end, commodity)
            info = queries.commodities()
    except BadRequest as exc:
        return jsonify(error=str(exc)), 400
    except NotYetServed as exc:
        return jsonify(error=str(exc)), 503, {"Retry-After": str(exc.wait)}
    except NotLoaded as exc:
        return jsonify(error=str(exc)), 503
    except NoData:
        return jsonify(error="no data loaded yet"), 503
    row = info[info["commodity_code"] == commodity].iloc[0]
    usage.record(usage.API_CALL, usage.api_client())
    columns = ["country_code", "country", "market_year", *names]
    frame = frame[columns]
    if fmt == "csv":
        body = frame.to_csv(index=False)
        filename = f"beanflows-{declared.slug}-{start}-{end}{'-as-of-' + release if release else ''}.csv"
        return Response(body, mimetype="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})
    rows = [
        {"country_code": code, "country": country, "market_year": int(year),
         **{m: _number(v) for m, v in zip(names, values)}}
        for code, country, year, *values in frame.itertuples(index=False, name=None)
    ]
    return jsonify(commodity=commodity, slug=declared.slug, commodity_name=row["commodity"], unit=row["unit"],
                   metrics=names, start=start, end=end, as_of=release, rows=rows)


@bp.get("/commodities")
@requires(SUBSCRIBER)
def commodities():
    """Return the commodities this site serves (the first is the default) with units, metrics and releases."""
    return jsonify(commodities=commodities_api.described())


@bp.get("/", defaults={"rest": ""})
@bp.get("/<path:rest>")
@requires(SUBSCRIBER)
def unknown(rest):
    """Answer any other path under the API in JSON, so it never falls through to a dashboard page."""
    return jsonify(error="no such API endpoint; the API is GET /api/v1/metrics, GET /api/v1/commodities, GET /api/v1/enso and GET /api/v1/prices"), 404
