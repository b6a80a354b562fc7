"""The Supply and Trade country pickers: regions beside countries, checked against allow-lists."""
import pytest

from callbacks import regional
from callbacks.context import Context
from data import commodities
from ui.state import BadInput

NAMES = {"BRA": "Brazil", "VNM": "Vietnam", "EU": "European Union"}
CTX = Context(commodities.shipped().get("coffee"), frozenset(NAMES), NAMES, 1960, 2023)
WHEAT = Context(commodities.shipped().get("wheat"), frozenset(NAMES), NAMES, 1960, 2023)
FIELD = regional.Places("countries", "countries", lambda ctx: ("BRA",))


@pytest.mark.parametrize("value, codes", [
    (["BRA", "REGION:Europe"], ("BRA", "REGION:Europe")),
    ("REGION:ico south america", ("REGION:ICO South America",)),
    (["REGION:AFRICA", "REGION:Africa", "EU"], ("REGION:Africa", "EU")),
])
def test_regions_are_taken_in_any_case_and_canonicalised(value, codes):
    assert FIELD.check(value, CTX) == codes


@pytest.mark.parametrize("value", [
    ["REGION:Atlantis"], ["REGION:"], ["XXX"], [], None, 5, {"$gt": ""}, [["REGION:Africa"]],
    ["REGION:Africa'; DROP TABLE obt_commodity_metrics; --"], ["BRA"] + ["REGION:Asia"] * 12,  # more than 12 picks
])
def test_anything_else_is_refused(value):
    with pytest.raises(BadInput):
        FIELD.check(value, CTX)


def test_the_url_round_trips_a_region():
    checked = FIELD.from_url({"countries": "bra,region:central america and the caribbean"}, CTX)
    assert checked == ("BRA", "REGION:Central America and the Caribbean")
    assert FIELD.from_url({"countries": "REGION:Atlantis"}, CTX) == ("BRA",)  # bad values fall back


def test_the_picker_offers_every_continent_and_ico_group_after_the_countries():
    options = FIELD.init(CTX)[0]
    assert [o["value"] for o in options[:3]] == ["BRA", "EU", "VNM"]
    assert {o["value"] for o in options[3:]} == {f"REGION:{n}" for n in regional.KIND}
    assert {"label": "ICO Africa (ICO producer group)", "value": "REGION:ICO Africa"} in options


def test_a_commodity_without_ico_groups_offers_continents_only_and_refuses_an_ico_group():
    values = {o["value"] for o in FIELD.init(WHEAT)[0][3:]}
    assert "REGION:Europe" in values and not any(v.startswith("REGION:ICO") for v in values)
    assert FIELD.check(["REGION:Europe"], WHEAT) == ("REGION:Europe",)
    with pytest.raises(BadInput, match="wheat has no region ICO Africa"):
        FIELD.check(["REGION:ICO Africa"], WHEAT)
