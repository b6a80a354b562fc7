"""The query cache keys each answer by its function's module and name: same-named queries keep their own answers."""
from types import SimpleNamespace

import pytest

from data.serving import reader

pytestmark = pytest.mark.unit


def _query(module, answer):
    """Return a cached query named `series` in module that answers answer."""
    def series(con, *args):
        return answer
    series.__module__, series.__qualname__ = module, "series"
    return reader.cached(series)


def test_same_named_queries_of_two_modules_keep_their_own_answers(monkeypatch):
    store = {}
    monkeypatch.setattr(reader, "cache", SimpleNamespace(get=store.get, set=store.__setitem__))
    monkeypatch.setattr(reader, "cache_enabled", lambda: True)
    monkeypatch.setattr(reader, "serving", lambda: SimpleNamespace(version=lambda: 1, connection=lambda: None))
    metrics, regions = _query("data.queries.metrics", "metrics"), _query("data.queries.regions", "regions")
    assert (metrics("BRA"), regions("BRA"), metrics("BRA")) == ("metrics", "regions", "metrics")
    assert len(store) == 2
