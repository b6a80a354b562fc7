"""Filter checks, URL round trips and page layouts built from hostile query strings."""
import json
import os
import subprocess
import sys

import dash
import plotly
import pytest

from callbacks import page as common
from data import commodities
from callbacks.context import context
from tests.harness.charts import declared_pages
from tests.harness.live import ROOT
from ui import figures, state
from ui.state import BadInput

KNOWN = frozenset({"BRA", "VNM", "EU", "CIV"})


@pytest.mark.parametrize("value,expected", [
    (["BRA", "VNM", "BRA"], ("BRA", "VNM")),
    ("EU", ("EU",)),
])
def test_countries_accepts_known_codes(value, expected):
    assert state.countries(value, KNOWN) == expected


@pytest.mark.parametrize("value", [
    ["BRA'; DROP TABLE x; --"], ["bra"], [], None, 3, {"a": 1}, ["BRA"] * 13, [["BRA"]], ["XXX"], [None],
])
def test_countries_rejects_anything_else(value):
    with pytest.raises(BadInput):
        state.countries(value, KNOWN)


@pytest.mark.parametrize("value,expected", [([1999, 2023], (1999, 2023)), (["2000", "2001"], (2000, 2001)),
                                            ([2005.0, 2005], (2005, 2005))])
def test_year_range_accepts_ordered_years(value, expected):
    assert state.year_range(value, 1960, 2023) == expected


@pytest.mark.parametrize("value", [[2023, 1999], [1959, 2000], [2000, 2024], [2000], "2000,2001", [True, 2000],
                                   [2000.5, 2001], ["2000 OR 1=1", 2001], None, [None, None]])
def test_year_range_rejects_anything_else(value):
    with pytest.raises(BadInput):
        state.year_range(value, 1960, 2023)


@pytest.mark.parametrize("check,args,value", [
    (state.integer, (3, 15), True), (state.integer, (3, 15), "5; --"), (state.integer, (3, 15), 16),
    (state.number, (1, 100), "NaN"), (state.number, (1, 100), float("nan")), (state.number, (1, 100), "1e3"),
    (state.number, (1, 100), 0), (state.choice, (("bags", "tonnes"),), ["bags"]),
    (state.choice, (("bags", "tonnes"),), "Bags"),
])
def test_scalars_reject_bad_values(check, args, value):
    with pytest.raises(BadInput):
        check(value, *args)


def test_lenient_falls_back_to_default():
    assert state.lenient(state.integer, "abc", 5, 3, 15) == 5
    assert state.lenient(state.integer, None, 5, 3, 15) == 5
    assert state.lenient(state.integer, "7", 5, 3, 15) == 7


def test_search_round_trip():
    text = state.search({"countries": ["BRA", "EU"], "start": 2000, "end": 2023, "units": "tonnes"})
    assert text == "?countries=BRA,EU&start=2000&end=2023&units=tonnes"
    assert state.split_list("BRA,eu, VNM") == ["BRA", "EU", "VNM"]


def test_market_year_labels_and_colours():
    assert figures.market_year(2023) == "2023/24"
    assert figures.market_year(1999) == "1999/00"
    # A 60-kg bag: 1000 bags are 60 tonnes (the declaration's unit choice the toggle offers).
    assert commodities.shipped().get("coffee").unit("tonnes").factor == pytest.approx(60 / 1000)


def test_country_colours_are_the_same_in_every_worker():
    # Big producers have fixed colours; the rest must not depend on the per-process hash seed,
    # or two gunicorn workers would draw one country in two colours.
    assert (figures.colour("BRA"), figures.colour("VNM")) == ("#0072B2", "#D55E00")  # Okabe-Ito blue, vermillion
    script = "from ui import figures; print(*(figures.colour(c) for c in ('XKX', 'NIC', 'LAO', 'TZA')))"
    seen = {subprocess.run([sys.executable, "-c", script], env={**os.environ, "PYTHONHASHSEED": seed}, cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout for seed in ("1", "2", "3")}
    assert len(seen) == 1
    colours = seen.pop().split()
    assert set(colours) <= set(figures.PALETTE) and len(set(colours)) > 1


@pytest.fixture(scope="module")
def built_app(tmp_path_factory, real_data_dir):
    """Return an app built on the real data."""
    from app import create_app
    from tests.conftest import base_config

    return create_app(base_config(tmp_path_factory.mktemp("pages"), real_data_dir))


@pytest.fixture(scope="module")
def pages(built_app):
    """Return the dashboard page registry entries of a built app."""
    import registry

    return [p for p in registry.of(built_app).dash_pages.values() if p["path"].startswith("/dashboards")]


HOSTILE_QUERIES = [
    {},
    {"countries": "BRA'; DROP TABLE obt_commodity_metrics; --", "start": "abc", "end": ["1", "2"]},
    {"countries": ["X"] * 10000, "units": "<script>alert(1)</script>", "window": "9" * 5000},
    {"iso3": "<img src=x onerror=alert(1)>", "metric": None, "year": 3.5},
]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_layouts_build_from_any_query_with_valid_filters(built_app, pages, query):
    assert {p["path"] for p in pages} == {"/dashboards/overview", "/dashboards/production", "/dashboards/trade",
                                          "/dashboards/supply", "/dashboards/country", "/dashboards/changes",
                                          "/dashboards/prices"}
    for page in pages:
        fields = common.PAGES[page["path"].rsplit("/", 1)[1]].fields.values()
        with built_app.test_request_context(page["path"]):
            tree = page["layout"](**query)
            ctx = context()
            components = {c.id: c for c in _walk(tree) if isinstance(getattr(c, "id", None), str)}
            text = json.dumps(tree, cls=plotly.utils.PlotlyJSONEncoder)
            if "iso3" in query and page["path"] == "/dashboards/country":
                assert "Not found" in text and not components  # an unknown code gets the not-found page
                continue
            for field in fields:  # in the request: release fields check against the loaded releases
                value = getattr(components[field.component], field.prop)
                field.check(value, ctx)  # raises BadInput when the layout carries a bad value
                for extra in field.extras:
                    assert getattr(components[field.component], extra) is not None, (field.name, extra)
        assert not any(bad in text for bad in ("DROP TABLE", "<script>", "onerror", "99999"))


def test_page_access_and_order(pages):
    access = {p["path"]: p["access"] for p in pages}
    assert access["/dashboards/overview"] == "user"
    assert {access[k] for k in access if k != "/dashboards/overview"} == {"subscriber"}
    assert all(p["nav"] for p in pages)
    assert [p["path"] for p in sorted(pages, key=lambda p: p["order"])][0] == "/dashboards/overview"
    country = next(p for p in pages if p["path"] == "/dashboards/country")
    assert country["path_template"] == "/dashboards/country/<iso3>"
    assert country["title"](iso3="vnm") == "VNM · beanflows"
    assert country["title"](iso3="<script>") == "Country · beanflows"


def test_every_chart_has_ids_on_its_page_prefix():
    declared_pages()
    assert len(common.CHARTS) >= 19
    for spec in common.CHARTS:
        for component in (spec.ids.view, spec.ids.message, spec.ids.button, spec.ids.download):
            assert component.split("-", 1)[0] == spec.page
        assert all(component.split("-", 1)[0] == spec.page for component, _ in spec.inputs)


def _walk(component):
    """Yield a Dash component tree's components."""
    yield component
    children = getattr(component, "children", None)
    if isinstance(children, (list, tuple)):
        for child in children:
            yield from _walk(child)
    elif children is not None and hasattr(children, "to_plotly_json"):
        yield from _walk(children)


def test_fixed_colours_are_distinct_and_apart_from_metric_colours():
    fixed = list(figures.FIXED_COLOURS.values())
    assert len(set(fixed)) == len(fixed)
    assert not set(figures.SERIES_COLOURS.values()) & (set(fixed) | set(figures.PALETTE))
