"""/methodology over real HTTP: public, and its facts match the raw USDA file read independently with pandas."""
import html
import json
import re

import pandas as pd
import pytest
import requests

from tests.harness.live import PINK_SHEETS
from tests.web.html_rows import table_rows


@pytest.fixture(scope="module")
def page(live_server):
    """Return the methodology page's HTML as an anonymous visitor gets it."""
    response = requests.get(f"{live_server.url}/methodology", timeout=30)
    assert response.status_code == 200, response.text[:300]
    return response.text


@pytest.fixture(scope="module")
def reported(raw_by_code):
    """Return, per (ISO3 code, market year), whether the raw country-year reported (not all zero or absent)."""
    return raw_by_code.notna().any(axis=1)


def test_every_raw_attribute_id_is_listed_and_found_in_the_data(page, raw_frame, raw_by_code):
    rows = {int(r["attrs"]["attribute-id"]): r["cells"] for r in table_rows(page, "methodology-metrics")}
    raw_ids = set(raw_frame.loc[raw_frame["Commodity_Code"] == "0711100", "Attribute_ID"].astype(int))
    assert raw_ids <= set(rows), sorted(raw_ids - set(rows))
    for attr_id in raw_ids:
        assert rows[attr_id][0] == str(attr_id)
        assert rows[attr_id][4] == "(1000 60 KG BAGS)"
        # Who reported it: countries and years of reported country-years holding a value of it.
        held = raw_by_code[attr_id].dropna()
        codes, years = held.index.get_level_values(0), held.index.get_level_values(1)
        assert rows[attr_id][-1] == f"{codes.nunique()} countries, {years.min()}–{years.max()}", attr_id


def test_each_country_s_reported_years_match_the_raw_file(page, reported):
    rows = {r["attrs"]["country"]: r["cells"] for r in table_rows(page, "methodology-countries")}
    codes = set(reported.index.get_level_values(0))
    assert set(rows) == codes
    for code in codes:
        years = reported.loc[code]
        kept = sorted(int(y) for y in years[years].index)
        if not kept:
            assert rows[code][2] == "never reported", (code, rows[code])
            continue
        gaps = [y for y in range(kept[0], kept[-1] + 1) if y not in kept]
        assert rows[code][2:6] == [str(kept[0]), str(kept[-1]), str(len(kept)), ", ".join(map(str, gaps))], code


def test_the_largest_coverage_change_names_exactly_the_countries_entering(page, reported):
    frame = reported.unstack(level=0).sort_index()  # market year x country
    entering = frame & ~frame.shift(1, fill_value=True)
    counts = entering.sum(axis=1)
    year = int(counts.idxmax())
    found = re.search(r'<p id="methodology-largest-change">.*?<strong>(\d+)</strong>.*?data-codes="([^"]*)"',
                      page, re.S)
    assert found, "no largest-change paragraph"
    assert int(found.group(1)) == year == 2002
    assert set(found.group(2).split()) == set(entering.columns[entering.loc[year]])
    assert {"EU", "JPN"} <= set(found.group(2).split()) and counts[year] == 24


def test_marketing_years_use_the_served_country_names(page):
    rows = {r["attrs"]["country"]: r["cells"] for r in table_rows(page, "methodology-marketing-years")}
    assert rows["BRA"][:3] == ["Brazil", "BRA", "July – June"]
    assert rows["VNM"][2] == rows["COL"][2] == "October – September"


def references(page):
    """Return {key: plain text} of the page's numbered references."""
    found = re.findall(r'<li id="ref-([^"]+)"[^>]*>(.*?)</li>', page, re.S)
    return {key: " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split()) for key, text in found}


def cited_keys(page, table_id):
    """Return {row country: [reference keys its Source cell links to]} of a table."""
    rows = re.findall(r'<tr data-country="([^"]+)"(.*?)</tr>', page.split(f'id="{table_id}"', 1)[1].split("</table>")[0],
                      re.S)
    return {code: re.findall(r'href="#ref-([^"]+)"', body) for code, body in rows}


def test_every_marketing_year_cites_a_usda_report_naming_its_months_or_says_unverified(page):
    rows = {r["attrs"]["country"]: r for r in table_rows(page, "methodology-marketing-years")}
    cited, refs = cited_keys(page, "methodology-marketing-years"), references(page)
    assert set(cited) == set(rows)
    for code, row in rows.items():
        first, last = row["cells"][2].split(" – ")
        if row["attrs"]["status"] == "unverified":
            assert not cited[code] and row["cells"][3].startswith("Unverified"), code
            continue
        assert cited[code] and row["attrs"]["status"] == "sourced", code
        for key in cited[code]:
            # The quoted words of the report name the same first and last months.
            text = refs[key]
            assert text.startswith("USDA FAS") and first[:3] in text and last[:3] in text, (code, text)
    assert {c for c, r in rows.items() if r["attrs"]["status"] == "unverified"} == {"COL", "IDN", "UGA"}


NAMES_IN_SOURCES = {"BEN": ("Benin", "Dahomey"), "CIV": ("Côte d'Ivoire", "Ivory Coast"),
                    "COG": ("Congo (Brazzaville)",), "COD": ("Congo (Democratic Republic)",),
                    "CAF": ("Central African Republic",), "PNG": ("Papua New Guinea",), "MEX": ("Mexico",)}


def test_every_ico_group_row_cites_a_document_naming_the_country_or_says_unverified(page):
    rows = {r["attrs"]["country"]: r for r in table_rows(page, "methodology-ico-groups")}
    cited, refs = cited_keys(page, "methodology-ico-groups"), references(page)
    assert "MYS" not in rows and rows["BEN"]["attrs"]["status"] == "sourced"
    for code, row in rows.items():
        status, cell = row["attrs"]["status"], row["cells"][3]
        if status == "unverified":
            assert not cited[code] and cell.startswith("Unverified"), code
            continue
        assert cited[code], code
        names = NAMES_IN_SOURCES.get(code, (row["cells"][1],))
        assert any(name in refs[key] for key in cited[code] for name in names), (code, cited[code])
        assert cell.startswith("Unverified") == (status == "group unverified"), code
    assert {c for c, r in rows.items() if r["attrs"]["status"] == "sourced"} >= {"BRA", "VNM", "COL", "ETH", "MEX"}


def test_units_releases_and_sources_are_stated(page, live_server):
    assert re.search(r'id="methodology-factor-tonnes">0.06<', page)
    releases = [r["attrs"]["release"] for r in table_rows(page, "methodology-releases")]
    listed = requests.get(f"{live_server.url}/healthz", timeout=10).json()
    assert len(releases) == 1 and re.fullmatch(r"\d{4}-\d{2}", releases[0]) and listed["status"] == "ok"
    assert "https://apps.fas.usda.gov/psdonline/downloads/psd_coffee_csv.zip" in page
    assert "WASDE" in page and "June and December" in page
    assert "DEMO DATA" not in page


def test_demo_data_is_said_to_be_demo(demo_server):
    response = requests.get(f"{demo_server.url}/methodology", timeout=30)
    assert response.status_code == 200
    assert 'id="methodology-demo"' in response.text and "DEMO DATA" in response.text
    releases = [r["attrs"]["release"] for r in table_rows(response.text, "methodology-releases")]
    assert releases == ["2024-06", "2024-12", "2025-06"]


def test_every_page_links_to_the_methodology_and_the_api_docs(live_server):
    flask_page = requests.get(f"{live_server.url}/login", timeout=30).text
    dash_shell = json.dumps(requests.get(f"{live_server.url}/_dash-layout", timeout=30).json())
    for path in ("/methodology", "/docs/api"):
        assert f'href="{path}"' in flask_page
        assert f'"href": "{path}"' in dash_shell, path


def test_the_derived_formulas_are_the_ones_the_api_serves(page, live_server, subscriber_session, raw_by_code):
    rows = {r["attrs"]["column"]: r["cells"] for r in table_rows(page, "methodology-derived")}
    assert rows["net_exports"][2] == "exports − imports"
    assert rows["stocks_to_use_pct"][2].startswith("100 × ending_stocks / (domestic_consumption + exports)")
    assert rows["stocks_to_use_pct"][3].startswith("100 × ending_stocks / domestic_consumption")
    answer = subscriber_session.get(f"{live_server.url}/api/v1/metrics", timeout=30, params={
        "metric": ["net_exports", "stocks_to_use_pct"], "country": ["BRA", "VNM", "WORLD"], "start": 2015, "end": 2020})
    served = {(r["country_code"], r["market_year"]): r for r in answer.json()["rows"]}
    imports, exports, use, ending = 57, 88, 125, 176
    for year in range(2015, 2021):
        for code in ("BRA", "VNM"):
            raw = raw_by_code.loc[(code, year)]
            assert served[(code, year)]["net_exports"] == pytest.approx(raw[exports] - raw[imports])
            assert served[(code, year)]["stocks_to_use_pct"] == pytest.approx(
                100 * raw[ending] / (raw[use] + raw[exports]))
        world = raw_by_code.xs(year, level="Market_Year").sum()
        assert served[("WORLD", year)]["stocks_to_use_pct"] == pytest.approx(100 * world[ending] / world[use])


def test_says_what_usage_is_recorded_and_for_how_long(tmp_path, real_data_dir):
    from flask_migrate import upgrade

    from app import create_app
    from tests.conftest import base_config

    app = create_app({**base_config(tmp_path, real_data_dir), "USAGE_RETENTION_DAYS": 123})
    with app.app_context():
        upgrade()
    text = app.test_client().get("/methodology").get_data(as_text=True)
    assert 'id="usage-data"' in text and "kept for 123 days" in text and "no email, IP address" in text


def _pink_sheet_descriptions():
    """Return every series definition on the May 2025 edition's Description sheet, read with pandas."""
    sheet = pd.read_excel(PINK_SHEETS[1], sheet_name="Description", header=None)
    return {" ".join(str(cell).split()) for cell in sheet.iloc[:, 1].dropna()}


def test_each_price_series_is_defined_as_the_pink_sheet_defines_it_with_its_editions(page):
    rows = {r["attrs"]["series"]: r["cells"] for r in table_rows(page, "methodology-price-series")}
    assert sorted(rows) == ["arabica", "robusta"]
    described = _pink_sheet_descriptions()
    for slug, name in (("arabica", "Coffee, Arabica"), ("robusta", "Coffee, Robusta")):
        assert rows[slug][1].startswith(name)
        assert " ".join(rows[slug][2].split()) in described, rows[slug][2]
        assert rows[slug][3] == "($/kg)" and rows[slug][4].startswith("US cents/lb")
    # The ICO coffee year: October of Y to September of Y+1, as the dashboard's market-year averages take it.
    assert "from October of Y to September of Y+1" in html.unescape(page)
    editions = re.search(r'id="methodology-price-releases">(.*?)</p>', page, re.S).group(1)
    for release_id, last in (("2024-12", "2024-11"), ("2025-05", "2025-04")):
        assert f"<code>{release_id}</code>" in editions and f"to {last}" in editions
