"""Three releases of the real data with known edits, and their revisions computed with pandas alone."""
import pandas as pd

from app import create_app
from data.schema import FALLBACK_COUNTRY_CODES
from tests.data.live_layout import raw_text_frame, to_live, write_zip

KEY = ["country_code", "market_year", "attribute_id"]
DROPPED = "Yemen (Sanaa)"


def edit(frame, country, year, attribute, factor):
    """Return frame with one value multiplied by factor."""
    frame = frame.copy()
    rows = (frame["Country_Name"] == country) & (frame["Market_Year"] == str(year)) & (frame["Attribute_ID"] == attribute)
    assert rows.sum() == 1
    frame.loc[rows, "Value"] = (frame.loc[rows, "Value"].astype(float) * factor).map("{:.4f}".format)
    return frame


def release_frames():
    """Return {release id: raw-layout frame}: 2023 added in the second, a country dropped in the third."""
    raw = raw_text_frame()
    first = raw[raw["Market_Year"] != "2023"]
    second = edit(edit(raw, "Brazil", 2020, "028", 0.97), "Vietnam", 2021, "088", 1.05)
    third = edit(second[second["Country_Name"] != DROPPED], "Colombia", 2022, "028", 1.02)
    return {"2024-06": first, "2024-09": second, "2024-12": third}


def long_values(frame):
    """Return a release's values keyed by ISO3 code, year and attribute id, with pandas only."""
    codes = frame["Country_Code"].where(frame["Country_Code"] != "", frame["Country_Name"].map(FALLBACK_COUNTRY_CODES))
    return pd.DataFrame({"country_code": codes, "country": frame["Country_Name"],
                         "market_year": frame["Market_Year"].astype(int),
                         "attribute_id": frame["Attribute_ID"].astype(int), "value": frame["Value"].astype(float)})


def reported_values(frame):
    """Return long_values without the country-years whose every value is zero (they did not report)."""
    values = long_values(frame)
    nonzero = (values["value"] != 0).groupby([values["country_code"], values["market_year"]]).transform("any")
    return values[nonzero]


def expected_revisions(old, new):
    """Return the values that differ between two releases' reported country-years, labelled as USDA's are."""
    both = reported_values(old).merge(reported_values(new), on=KEY, how="outer", suffixes=("_old", "_new"))
    changed = both[~((both["value_old"] == both["value_new"]) |
                     (both["value_old"].isna() & both["value_new"].isna()))].copy()
    changed["country"] = changed["country_new"].fillna(changed["country_old"])
    changed["kind"] = "revised"
    changed.loc[changed["value_old"].isna(), "kind"] = "new"
    changed.loc[changed["value_new"].isna(), "kind"] = "dropped"
    changed["change"] = changed["value_new"] - changed["value_old"]
    return changed.drop(columns=["country_old", "country_new"]).sort_values(KEY).reset_index(drop=True)


def load_releases(tmp, data_dir):
    """Load the three releases through the CLI into data_dir; return the CLI outputs by release id."""
    from tests.conftest import base_config  # conftest imports this module's fixtures

    runner = create_app(base_config(tmp, data_dir)).test_cli_runner()
    outputs = {}
    for release_id, frame in release_frames().items():
        year, month = map(int, release_id.split("-"))
        source = write_zip(to_live(frame, year, month), tmp / f"psd_{release_id}.zip")
        result = runner.invoke(args=["ingest", str(source)])
        if release_id == "2024-12":
            assert result.exit_code != 0 and f"1 country missing ({DROPPED})" in result.output
            result = runner.invoke(args=["ingest", str(source), "--force"])
        assert result.exit_code == 0, result.output
        outputs[release_id] = result.output
    outputs["again"] = runner.invoke(args=["ingest", str(source)]).output
    outputs["releases"] = runner.invoke(args=["releases"]).output
    return outputs

