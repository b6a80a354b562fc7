"""Dash shell shared by every page: ids, layout chrome, mounting."""
