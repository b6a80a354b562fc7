"""Tests of ui/: the Dash adapter and what it relies on."""
