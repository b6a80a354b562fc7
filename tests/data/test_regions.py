"""The country -> region table: every code the data can hold is mapped, and names parse strictly."""
import pandas as pd
import pytest

from data.reference import countries

from data.reference import regions
from data.schema import FALLBACK_COUNTRY_CODES
from tests.conftest import RAW_CSV


def raw_codes():
    """Return the ISO3 codes of the raw file, read with pandas (blank codes through the documented name map)."""
    raw = pd.read_csv(RAW_CSV, dtype=str, keep_default_na=False, usecols=["Country_Code", "Country_Name"])
    pairs = raw.drop_duplicates()
    return {code or FALLBACK_COUNTRY_CODES[name] for code, name in zip(pairs["Country_Code"], pairs["Country_Name"])}


def test_every_country_of_the_raw_file_and_of_the_usda_table_is_mapped():
    codes = raw_codes() | {iso3 for iso3, _ in countries.USDA_COUNTRIES.values()}
    assert len(raw_codes()) == 94
    unmapped = sorted(c for c in codes if regions.continent(c) == regions.UNASSIGNED)
    assert not unmapped
    assert all(regions.continent(c) in regions.CONTINENTS for c in codes)


def test_the_table_names_only_known_regions_and_no_stray_codes():
    known = {iso3 for iso3, _ in countries.USDA_COUNTRIES.values()}
    assert set(regions.COUNTRY_REGIONS) == known
    for continent, group in regions.COUNTRY_REGIONS.values():
        assert continent in regions.CONTINENTS and (group is None or group in regions.ICO_GROUPS)


def test_the_eu_is_in_europe_and_belongs_to_no_producer_group():
    assert regions.continent("EU") == regions.EUROPE and regions.ico_group("EU") is None


@pytest.mark.parametrize("group, continents", [
    (regions.ICO_AFRICA, {regions.AFRICA}),
    (regions.ICO_ASIA, {regions.ASIA, regions.OCEANIA}),
    (regions.ICO_MEXICO, {regions.CENTRAL_AMERICA}),
    (regions.ICO_SOUTH_AMERICA, {regions.SOUTH_AMERICA}),
])
def test_each_ico_group_lies_within_its_continents(group, continents):
    members = regions.members(group)
    assert members and {regions.continent(c) for c in members} == continents


def test_the_largest_producers_sit_in_their_ico_groups():
    expected = {"BRA": regions.ICO_SOUTH_AMERICA, "VNM": regions.ICO_ASIA, "COL": regions.ICO_SOUTH_AMERICA,
                "IDN": regions.ICO_ASIA, "ETH": regions.ICO_AFRICA, "HND": regions.ICO_MEXICO,
                "UGA": regions.ICO_AFRICA, "MEX": regions.ICO_MEXICO, "USA": None, "JPN": None}
    assert {c: regions.ico_group(c) for c in expected} == expected


def test_an_unknown_usda_code_is_unassigned_not_an_error():
    code, known = countries.to_iso3("QQ", "Atlantis")
    assert (code, known) == ("XQQ", False)
    assert regions.continent(code) == regions.UNASSIGNED and regions.ico_group(code) is None


def test_continents_partition_the_known_codes():
    seen = [c for continent in regions.CONTINENTS for c in regions.members(continent)]
    assert len(seen) == len(set(seen)) == len(regions.COUNTRY_REGIONS)


@pytest.mark.parametrize("value, name", [
    ("REGION:Africa", "Africa"), ("region:AFRICA", "Africa"), ("Central america AND the caribbean",
                                                               regions.CENTRAL_AMERICA),
    ("REGION:ico south america", regions.ICO_SOUTH_AMERICA), ("REGION:unassigned", regions.UNASSIGNED),
    ("REGION:Atlantis", None), ("REGION:", None), ("BRA", None), (None, None), (["Africa"], None),
])
def test_region_names_match_case_insensitively_and_nothing_else(value, name):
    assert regions.name_of(value) == name


def test_every_ico_source_names_a_grouped_country_and_a_listed_document():
    from data.reference import documents as sources

    for code, keys in regions.ICO_SOURCES.items():
        assert regions.ico_group(code), code
        assert keys and sources.cited(keys)
    assert regions.PLACEMENT_UNVERIFIED <= set(regions.members(regions.ICO_MEXICO) + regions.members(
        regions.ICO_SOUTH_AMERICA))


def test_malaysia_has_no_ico_group_and_benin_is_sourced():
    # No ICO document read lists Malaysia as an exporting country; ICC 106-3 lists Benin among them.
    assert regions.ico_group("MYS") is None and regions.continent("MYS") == regions.ASIA
    assert regions.ico_group("BEN") == regions.ICO_AFRICA
    assert regions.ico_evidence("BEN") == (("ico-icc-106-3", "ico-ica-1968"), regions.SOURCED)
    assert regions.ico_evidence("HND")[1] == regions.UNVERIFIED
    assert regions.ico_evidence("JAM")[1] == regions.GROUP_UNVERIFIED
