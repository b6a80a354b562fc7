"""The ONI file read with pandas alone, independent of data/enso_parse.py, and bad copies of it."""
import pandas as pd

from tests.harness.live import ONI_TXT

ONI_TEXT = ONI_TXT.read_text()
ONI_LINES = ONI_TEXT.splitlines()


def oni_frame():
    """Return NOAA's ONI file as a DataFrame: season, year, total, oni (whitespace-separated columns)."""
    frame = pd.read_csv(ONI_TXT, sep=r"\s+")
    return frame.rename(columns={"SEAS": "season", "YR": "year", "TOTAL": "total", "ANOM": "oni"})


def with_line(number, replacement):
    """Return the file's text with line number (1-based) replaced; None drops the line."""
    lines = list(ONI_LINES)
    if replacement is None:
        del lines[number - 1]
    else:
        lines[number - 1] = replacement
    return "\n".join(lines) + "\n"
