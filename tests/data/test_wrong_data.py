"""Files that parse but are wrong: mixed or wrong units, loads that shrink the data."""
import pandas as pd
import pytest

from app import create_app
from tests.conftest import RAW_CSV, base_config
from tests.data.conftest import read_serving
from tests.data.test_bad_input import _state


def _raw():
    """Return the raw ISO3 file as text columns."""
    return pd.read_csv(RAW_CSV, dtype=str, keep_default_na=False)


def _brazil_in_tonnes(frame):
    brazil = frame["Country_Name"] == "Brazil"
    frame.loc[brazil, "Value"] = (frame.loc[brazil, "Value"].astype(float) * 0.06).map("{:.4f}".format)
    frame.loc[brazil, "Unit_Description"] = "(1000 MT)"
    return frame


def _all_hectares(frame):
    return frame.assign(Unit_Description="(1000 HA)")


def _only_albania(frame):
    return frame[frame["Country_Name"] == "Albania"]


def _no_2023(frame):
    return frame[frame["Market_Year"] != "2023"]


def _brazil_production_tripled(frame):
    rows = (frame["Country_Name"] == "Brazil") & (frame["Attribute_ID"] == "028") & (frame["Market_Year"] == "2020")
    frame.loc[rows, "Value"] = (frame.loc[rows, "Value"].astype(float) * 3).map("{:.4f}".format)
    return frame


CASES = {
    "Brazil in tonnes among bags": (_brazil_in_tonnes, "mixes units: ", "(1000 MT) (first: line"),
    "every row in hectares": (_all_hectares, "is in (1000 HA), expected (1000 60 KG BAGS)", None),
    "only Albania": (_only_albania, "93 countries missing (Algeria, Angola", "world totals may move at most 25%"),
    "a market year gone": (_no_2023, "1 market year(s) missing (2023)", None),
    "world production moved": (_brazil_production_tripled, "world Production 2020 moves +", "use --force"),
}
FORCEABLE = {"only Albania", "a market year gone", "world production moved"}


@pytest.mark.parametrize("case", sorted(CASES))
def test_wrong_data_is_refused_and_nothing_changes(case, real_copy, tmp_path):
    edit, message, also = CASES[case]
    source = tmp_path / "wrong.csv"
    edit(_raw()).to_csv(source, index=False)
    before = _state(real_copy)
    runner = create_app(base_config(tmp_path, real_copy)).test_cli_runner()
    result = runner.invoke(args=["ingest", str(source)])
    assert result.exit_code != 0
    assert message in result.output
    assert also is None or also in result.output
    assert "Nothing was written" in result.output
    assert _state(real_copy) == before
    if case in FORCEABLE:
        forced = runner.invoke(args=["ingest", str(source), "--force"])
        assert forced.exit_code == 0, forced.output
        assert _state(real_copy) != before


def test_the_bound_is_configurable(real_copy, tmp_path):
    source = tmp_path / "moved.csv"
    _brazil_production_tripled(_raw()).to_csv(source, index=False)
    runner = create_app({**base_config(tmp_path, real_copy), "RELEASE_MAX_WORLD_CHANGE": 0.9}).test_cli_runner()
    result = runner.invoke(args=["ingest", str(source), "--release", "2030-01"])
    assert result.exit_code == 0, result.output
    assert read_serving(real_copy, "SELECT release_id FROM releases")["release_id"].tolist()[-1] == "2030-01"
