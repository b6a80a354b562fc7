"""The OpenAPI description of GET /api/v1/prices: parameters, responses, schemas and worked examples."""
from urllib.parse import urlencode

from data import commodities
from data.queries import prices as price_queries
from data.serving.reader import NoData
from data.reference.price_years import ATTRIBUTION
from web import prices_api

PATH = "/api/v1/prices"
# Worked requests (key, summary, query); listed while prices are loaded, and each must then answer 200.
EXAMPLES = (
    ("prices-arabica", "Arabica coffee in US cents a pound since January 2024",
     [("commodity", "coffee"), ("series", "arabica"), ("start", "2024-01")]),
    ("prices-coffee", "Both coffee series in 2020", [("commodity", "coffee"), ("start", "2020-01"),
                                                      ("end", "2020-12")]),
)
CSV_EXAMPLE = ("prices-csv", "Robusta in 2023 as CSV", [("commodity", "coffee"), ("series", "robusta"),
                                                         ("start", "2023-01"), ("end", "2023-12"), ("format", "csv")])


def url(query):
    """Return the API path of one worked request."""
    return f"{PATH}?{urlencode(query)}"


def examples():
    """Return the worked requests (key, summary, query, media type) while prices are loaded, else none."""
    try:
        loaded = price_queries.prices_loaded()
    except NoData:
        loaded = False
    if not loaded:
        return []
    return [*((*example, "application/json") for example in EXAMPLES), (*CSV_EXAMPLE, "text/csv")]


def parameters():
    """Return the query parameters of GET /api/v1/prices."""
    catalog = commodities.current()
    priced = [c.slug for c in catalog if c.prices]
    series = sorted({p.slug for c in catalog for p in c.prices})
    return [
        {"name": "commodity", "in": "query", "description": "A commodity slug or PSD code with price series "
         "(default: the site's first commodity).", "schema": {"type": "string", "examples": priced}},
        {"name": "series", "in": "query", "required": False, "style": "form", "explode": True,
         "description": "Series slugs of the commodity (coffee: arabica, robusta; corn: maize; wheat: hrw, srw). "
                        "Repeat it, or separate values with commas; without it, every series of the commodity.",
         "schema": {"type": "array", "items": {"type": "string", "enum": series}, "maxItems": 300}},
        {"name": "start", "in": "query", "description": "First month, YYYY-MM.",
         "schema": {"type": "string", "pattern": prices_api.MONTH.pattern}},
        {"name": "end", "in": "query", "description": "Last month, YYYY-MM; not before start.",
         "schema": {"type": "string", "pattern": prices_api.MONTH.pattern}},
        {"name": "format", "in": "query", "description": "json, or csv for a CSV file with the same rows under a "
         "line naming the source.", "schema": {"type": "string", "enum": list(prices_api.FORMATS), "default": "json"}},
        {"name": "as_of", "in": "query", "description": "A prices release id (YYYY-MM, the month of the Pink Sheet "
         "edition): the prices as that edition published them. Default: the newest. An unknown one is a 400.",
         "schema": {"type": "string", "pattern": prices_api.MONTH.pattern}},
    ]


def responses(error):
    """Return the responses of GET /api/v1/prices; error(description) is the error response builder."""
    linked = {media: {key: {"summary": summary, "externalValue": url(query)}
                      for key, summary, query, kind in examples() if kind == media}
              for media in ("application/json", "text/csv")}
    found = {
        "200": {"description": "One row per month and series, in the series' display unit.", "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Prices"},
                                 **({"examples": linked["application/json"]} if linked["application/json"] else {})},
            "text/csv": {"schema": {"type": "string", "description": "A first line `# Source: ...` naming the "
                                    "World Bank, then columns month, series, value, unit."},
                         **({"examples": linked["text/csv"]} if linked["text/csv"] else {})}}},
        "400": error("A bad parameter: unknown commodity (or one without prices), series or release, a month not "
                     "YYYY-MM, or start after end."),
        "503": error("No prices are loaded yet."),
    }
    return found


def schemas():
    """Return the component schemas of the prices response and its rows."""
    return {
        "PriceRow": {"type": "object", "required": list(prices_api.COLUMNS),
                     "properties": {"month": {"type": "string"}, "series": {"type": "string"},
                                    "value": {"type": ["number", "null"]}, "unit": {"type": "string"}}},
        "Prices": {"type": "object",
                   "required": ["commodity", "series", "start", "end", "as_of", "release", "attribution", "rows"],
                   "properties": {"commodity": {"type": "string"},
                                  "series": {"type": "array", "items": {"type": "string"}},
                                  "start": {"type": ["string", "null"]}, "end": {"type": ["string", "null"]},
                                  "as_of": {"type": ["string", "null"], "description": "The edition asked for."},
                                  "release": {"type": "string", "description": "The edition answered."},
                                  "attribution": {"type": "string", "const": ATTRIBUTION},
                                  "rows": {"type": "array", "items": {"$ref": "#/components/schemas/PriceRow"}}}},
    }
