"""The OpenAPI description of GET /api/v1/enso: parameters, responses, schemas and worked examples."""
from urllib.parse import urlencode

from data.queries import enso as enso_queries
from data.reference import enso_rule
from data.schema import WORLD
from data.serving.reader import NoData
from web import enso_api

PATH = "/api/v1/enso"
# Worked requests (key, summary, query); listed while ENSO data is loaded, and each must then answer 200.
EXAMPLES = (
    ("enso-seasons", "The ONI by season since 2015", [("start", "2015")]),
    ("enso-phases", "The ENSO phase of Brazil's and Vietnam's market years, 2000-2023",
     [("country", "BRA"), ("country", "VNM"), ("start", "2000"), ("end", "2023")]),
)
CSV_EXAMPLE = ("enso-csv", "The ONI of 1997-1998 as CSV", [("start", "1997"), ("end", "1998"), ("format", "csv")])
SEASONS_EXAMPLE = {"source": "NOAA Climate Prediction Center, Oceanic Niño Index (oni.ascii.txt)",
                   "release": "2026-08", "as_of": None, "start": 1950, "end": 1950, "kind": "seasons",
                   "rows": [{"season": "DJF", "year": 1950, "oni": -1.32, "total": 25.01},
                            {"season": "JFM", "year": 1950, "oni": -1.2, "total": 25.36}]}


def url(query):
    """Return the API path of one worked request."""
    return f"{PATH}?{urlencode(query)}"


def examples():
    """Return the worked requests (key, summary, query, media type) while ENSO data is loaded, else none."""
    try:
        loaded = not enso_queries.releases().empty
    except NoData:
        loaded = False
    if not loaded:
        return []
    return [*((*example, "application/json") for example in EXAMPLES), (*CSV_EXAMPLE, "text/csv")]


def parameters():
    """Return the query parameters of GET /api/v1/enso."""
    return [
        {"name": "start", "in": "query", "description": "First year (of seasons, or of market years with country).",
         "schema": {"type": "integer"}},
        {"name": "end", "in": "query", "description": "Last year; not before start.", "schema": {"type": "integer"}},
        {"name": "country", "in": "query", "required": False, "style": "form", "explode": True,
         "description": f"ISO3 codes as served, or {WORLD}: answer the ENSO phase of each market year of these "
                        "countries instead of the seasons, on the commodity's marketing years (the rule and each country's "
                        "window: /methodology#enso). "
                        "Repeat it, or separate values with commas.",
         "schema": {"type": "array", "items": {"type": "string", "examples": ["BRA", WORLD]}, "maxItems": 300}},
        {"name": "format", "in": "query", "description": "json, or csv for a CSV file with the same rows.",
         "schema": {"type": "string", "enum": list(enso_api.FORMATS), "default": enso_api.FORMATS[0]}},
        {"name": "as_of", "in": "query", "description": "An ENSO release id (YYYY-MM, the month its last season "
         "ends): the index as that download of NOAA's file held it (NOAA re-bases anomalies). Default: the latest.",
         "schema": {"type": "string", "pattern": r"^\d{4}-(0[1-9]|1[0-2])$"}},
    ]


def responses(error):
    """Return the responses of GET /api/v1/enso; error(description) is the error response builder."""
    listed = examples()
    json_examples = {key: {"summary": summary, "externalValue": url(query)}
                     for key, summary, query, media in listed if media == "application/json"}
    json_examples["seasons-body"] = {"summary": "The first two seasons of NOAA's record", "value": SEASONS_EXAMPLE}
    csv_examples = {key: {"summary": summary, "externalValue": url(query)}
                    for key, summary, query, media in listed if media == "text/csv"}
    found = {
        "200": {"description": "The seasons (or, with country, the phases) asked for.", "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Enso"}, "examples": json_examples},
            "text/csv": {"schema": {"type": "string", "description": "The rows' keys as columns."},
                         **({"examples": csv_examples} if csv_examples else {})}}},
        "400": error("A bad parameter: unknown country or ENSO release, a non-integer year, start after end."),
        "503": error("No ENSO data is loaded yet."),
    }
    return found


def schemas():
    """Return the component schemas of the ENSO answer."""
    number = {"type": ["number", "null"]}
    return {
        "EnsoSeason": {"type": "object", "required": ["season", "year", "oni", "total"], "properties": {
            "season": {"type": "string", "enum": ["DJF", "JFM", "FMA", "MAM", "AMJ", "MJJ", "JJA", "JAS", "ASO",
                                                  "SON", "OND", "NDJ"],
                       "description": "Overlapping 3-month season; year is that of its middle month."},
            "year": {"type": "integer"}, "oni": {**number, "description": "The anomaly, °C (NOAA's ANOM)."},
            "total": {**number, "description": "Niño-3.4 sea-surface temperature, °C."}}},
        "EnsoPhase": {"type": "object", "required": ["country_code", "market_year", "oni", "phase"], "properties": {
            "country_code": {"type": "string"}, "market_year": {"type": "integer"},
            "window_start": {"type": "string"}, "window_end": {"type": "string"},
            "oni": {**number, "description": "Mean ONI over the window's 12 seasons."},
            "el_nino_seasons": {"type": "integer"}, "la_nina_seasons": {"type": "integer"},
            "phase": {"type": "string", "enum": list(enso_rule.PHASES)}}},
        "Enso": {"type": "object", "required": ["source", "release", "as_of", "kind", "rows"], "properties": {
            "source": {"type": "string"}, "release": {"type": "string"}, "as_of": {"type": ["string", "null"]},
            "start": {"type": ["integer", "null"]}, "end": {"type": ["integer", "null"]},
            "kind": {"type": "string", "enum": ["seasons", "phases"]},
            "rule": {"type": "string", "description": "With country: the phase rule."},
            "rows": {"type": "array", "items": {"anyOf": [{"$ref": "#/components/schemas/EnsoSeason"},
                                                          {"$ref": "#/components/schemas/EnsoPhase"}]}}}},
    }
