"""USDA's grains file read with pandas alone, independent of the code under test: expected numbers for the tests."""
import functools
import io
import zipfile

import pandas as pd

from tests.harness.live import GRAINS_ZIP

# PSD codes and attribute ids as USDA ships them (../shared/data/README.md).
WHEAT, CORN, RICE, BARLEY = "0410000", "0440000", "0422110", "0430000"
AREA, PRODUCTION, IMPORTS, EXPORTS, CONSUMPTION, ENDING, YIELD = 4, 28, 57, 88, 125, 176, 184


def raw_text():
    """Return the grains CSV text (read from the zip)."""
    with zipfile.ZipFile(GRAINS_ZIP) as archive:
        return archive.read("psd_grains_pulses.csv").decode()


@functools.cache
def _frame():
    """Return the grains CSV as pandas reads it, once per process."""
    return pd.read_csv(io.StringIO(raw_text()), dtype={"Commodity_Code": str, "Country_Code": str,
                                                       "Attribute_ID": int, "Market_Year": int, "Value": float},
                       keep_default_na=False)


def frame():
    """Return a copy of the raw grains values, one row per commodity, USDA country code, year and attribute."""
    return _frame().copy()


def wide(code):
    """Return one commodity's values by (USDA country code, market year) x attribute id."""
    rows = _frame()[_frame()["Commodity_Code"] == code]
    return rows.pivot_table(index=["Country_Code", "Market_Year"], columns="Attribute_ID", values="Value",
                            aggfunc="first")


def reported(code):
    """Return wide(code) with the country-years whose values are all zero (not reported) dropped."""
    table = wide(code)
    return table[(table.fillna(0) != 0).any(axis=1)]
