"""Tests that need PostgreSQL or Redis skip when those are down, except under CI=true, where they fail."""
import pytest

from tests.conftest import unavailable


def test_a_missing_service_fails_under_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        unavailable("Redis is not reachable")


def test_a_missing_service_skips_elsewhere(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        unavailable("Redis is not reachable")
