"""Where data comes from: fetching files and parsing each source (PSD, NOAA's ONI, demo data)."""
