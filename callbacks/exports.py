"""Chart downloads: CSV or .xlsx of exactly the chart's rows, under one line naming source, release, units and demo."""
import io

import pandas as pd
from dash import dcc

from ui.provenance import note


def _unit(frame):
    """Return the frame's one unit, if it has a unit column."""
    units = frame["unit"].dropna().unique() if "unit" in frame else []
    return units[0] if len(units) == 1 else None


def send(frame, name, kind="csv", commodity=None):
    """Return the dcc.Download data of a commodity's frame as CSV or .xlsx, with the note line first."""
    heading = note(_unit(frame), commodity)
    if kind == "xlsx":
        buffer = io.BytesIO()
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            frame.to_excel(writer, index=False, startrow=1, sheet_name="beanflows")
            writer.sheets["beanflows"]["A1"] = heading
        return dcc.send_bytes(buffer.getvalue(), name[:-4] + ".xlsx")
    return dcc.send_string("# " + heading + "\n" + frame.to_csv(index=False), name)
