"""What changed lists the months the newest Pink Sheet edition revised, added or dropped, against pandas' count."""
import pytest

from tests.data.prices_raw import CENTS_PER_LB_FROM_USD_PER_KG, monthly
from tests.speed.test_first_draw import first_layout

GRID, MESSAGE = "changes-prices-grid", "changes-prices-message"


def test_the_newest_edition_s_new_months_are_listed_and_none_revised(live_server, subscriber_session):
    props = first_layout(live_server, subscriber_session, "/dashboards/changes")
    rows = props[GRID]["rowData"]
    expected = {}
    for slug in ("arabica", "robusta"):
        old, new = monthly("2024-12", slug), monthly("2025-05", slug)
        assert (new.loc[old.index] == old).all()  # the file revised nothing of these series
        for month in sorted(set(new.index) - set(old.index)):
            expected[(slug, month)] = new[month] * CENTS_PER_LB_FROM_USD_PER_KG
    assert {(r["series"], r["month"]) for r in rows} == set(expected)
    assert all(r["kind"] == "new" and r["edition"] == "2025-05" and r["against"] == "2024-12" for r in rows)
    assert [r["new_value"] for r in rows] == pytest.approx([expected[(r["series"], r["month"])] for r in rows],
                                                            rel=1e-12)
    message = str(props[MESSAGE]["children"])
    assert f"0 revised, {len(expected)} new, 0 dropped" in message and "CC BY 4.0" in message
