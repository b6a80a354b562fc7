"""GET /api/v1/metrics?as_of=RELEASE on three releases with known edits, checked with pandas."""
import io

import pandas as pd
import pytest

from tests.harness.releases import long_values, release_frames


@pytest.fixture
def get(releases_server, releases_session):
    """Return a function that GETs the metrics API as the subscriber on the three releases."""
    def _get(params):
        return releases_session.get(f"{releases_server.url}/api/v1/metrics", params=params, timeout=30)
    return _get


@pytest.fixture(scope="module")
def published():
    """Return each release's values by (country, market year, attribute id), by pandas."""
    return {r: long_values(f).set_index(["country_code", "market_year", "attribute_id"])["value"]
            for r, f in release_frames().items()}


@pytest.mark.parametrize("release", ["2024-06", "2024-09", "2024-12"])
def test_as_of_returns_what_each_release_published(get, published, release):
    response = get({"metric": ["production", "exports"], "country": ["BRA", "VNM", "COL"], "start": 2019,
                    "end": 2023, "as_of": release})
    assert response.status_code == 200
    body = response.json()
    assert body["as_of"] == release
    values = published[release]
    expected = {(c, y) for c, y, a in values.index if c in ("BRA", "VNM", "COL") and 2019 <= y <= 2023}
    rows = {(r["country_code"], r["market_year"]): r for r in body["rows"]}
    assert set(rows) == expected  # 2023 only from the second release on
    for (code, year), row in rows.items():
        assert row["production"] == pytest.approx(values[(code, year, 28)])
        assert row["exports"] == pytest.approx(values[(code, year, 88)])


def test_as_of_world_and_csv(get, published):
    response = get({"metric": "production", "country": "WORLD", "as_of": "2024-09", "format": "csv"})
    assert response.status_code == 200 and "as-of-2024-09" in response.headers["Content-Disposition"]
    frame = pd.read_csv(io.StringIO(response.text)).set_index("market_year")
    values = published["2024-09"]
    world = values[values.index.get_level_values("attribute_id") == 28].groupby(level="market_year").sum()
    assert frame["production"].tolist() == pytest.approx(world.loc[frame.index].tolist())
    assert len(frame) == len(world)


def test_without_as_of_the_latest_release(get, published):
    latest = get({"metric": "production", "country": "COL", "start": 2022, "end": 2022}).json()
    assert latest["as_of"] is None
    assert latest["rows"][0]["production"] == pytest.approx(published["2024-12"][("COL", 2022, 28)])
    assert published["2024-12"][("COL", 2022, 28)] == pytest.approx(1.02 * published["2024-09"][("COL", 2022, 28)])


@pytest.mark.parametrize("value", ["1999-01", "2024-13", "latest", "2024-06'; DROP TABLE releases; --", "x" * 500])
def test_unknown_release_is_a_400(get, value):
    response = get({"metric": "production", "as_of": value})
    assert response.status_code == 400
    assert "unknown release" in response.json()["error"]


def test_as_of_a_dropped_country_is_known_there(get):
    before = get({"metric": "production", "country": "XYS", "as_of": "2024-09", "start": 2020, "end": 2020})
    assert before.status_code == 200 and before.json()["rows"][0]["country"] == "Yemen (Sanaa)"
    after = get({"metric": "production", "country": "XYS"})
    assert after.status_code == 400
