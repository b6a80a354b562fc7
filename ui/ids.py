"""Component ids, one constant each; the prefix names the page that owns it."""

# Shell (every page)
NAV = "shell-nav"
DATA_BANNER = "shell-data-banner"

# Overview
OVERVIEW_YEAR = "overview-year"
OVERVIEW_KPIS = "overview-kpis"
OVERVIEW_PRODUCTION = "overview-production-graph"
