"""GET /api/v1/prices: a commodity's World Bank Pink Sheet prices by month, in its declared display units."""
import re

from flask import Blueprint, Response, jsonify, request

from auth import usage
from auth.access import SUBSCRIBER, requires
from data import commodities
from data.commodities import site
from data.queries import prices as price_queries
from data.serving.reader import NoData
from data.reference.price_years import ATTRIBUTION
from web.api import FORMATS, BadRequest, _number, _values

bp = Blueprint("prices_api", __name__, url_prefix="/api/v1")

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
COLUMNS = ("month", "series", "value", "unit")
NOT_LOADED = "World Bank prices are not loaded yet (an operator runs `flask --app app prices ingest FILE`)"


class NotLoaded(Exception):
    """No Pink Sheet edition is in the serving file."""


def _month(name):
    """Return a YYYY-MM parameter, None when absent."""
    value = (request.args.get(name) or "").strip()
    if not value:
        return None
    if not MONTH.match(value):
        raise BadRequest(f"{name} must be a month YYYY-MM, got {value[:20]!r}")
    return value


def _commodity():
    """Return the served commodity asked for (slug or PSD code; default the site's first) with price series."""
    key = (request.args.get("commodity") or "").strip() or None
    try:
        found = site.served_commodity(key)
    except commodities.UnknownCommodity as exc:
        raise BadRequest(str(exc)) from None
    if not found.prices:
        priced = ", ".join(c.slug for c in site.site() if c.prices)
        raise BadRequest(f"{found.slug} has no World Bank price series; commodities with prices: {priced}")
    return found


def _params():
    """Return checked (commodity, series slugs, start, end, edition, format) from the query string."""
    fmt = request.args.get("format", "json").strip().lower()
    if fmt not in FORMATS:
        raise BadRequest("format must be json or csv")
    commodity = _commodity()
    known = [p.slug for p in commodity.prices]
    series = _values("series")
    unknown = [s for s in series if s not in known]
    if unknown:
        raise BadRequest(f"unknown series {unknown[0][:40]!r} for {commodity.slug}; known: {', '.join(known)}")
    start, end = _month("start"), _month("end")
    if start and end and start > end:
        raise BadRequest("start must not be after end")
    if not price_queries.prices_loaded():
        raise NotLoaded()
    editions = tuple(price_queries.price_releases()["release_id"])
    edition = (request.args.get("as_of") or "").strip() or None
    if edition is not None and edition not in editions:
        raise BadRequest(f"unknown prices release {edition[:20]!r} for as_of; known: {', '.join(editions)}")
    return commodity, tuple(series or known), start, end, edition, editions[-1], fmt


@bp.get("/prices")
@requires(SUBSCRIBER)
def prices():
    """Return a commodity's monthly World Bank prices, with the attribution the licence asks for."""
    try:
        commodity, series, start, end, edition, latest, fmt = _params()
        frame = price_queries.monthly_prices(commodity.slug, series, start, end, edition)[list(COLUMNS)]
    except BadRequest as exc:
        return jsonify(error=str(exc)), 400
    except (NoData, NotLoaded):
        return jsonify(error=NOT_LOADED), 503
    usage.record(usage.API_CALL, usage.api_client())
    release = edition or latest
    if fmt == "csv":
        name = f"beanflows-prices-{commodity.slug}-{release}.csv"
        body = f"# Source: {ATTRIBUTION}; edition {release}\n" + frame.to_csv(index=False)
        return Response(body, mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{name}"'})
    rows = [{"month": month, "series": slug, "value": _number(value), "unit": unit}
            for month, slug, value, unit in frame.itertuples(index=False, name=None)]
    return jsonify(commodity=commodity.slug, series=list(series), start=start, end=end, as_of=edition,
                   release=release, attribution=ATTRIBUTION, rows=rows)
