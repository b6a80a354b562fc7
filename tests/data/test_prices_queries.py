"""The query cache keys answers by function name: no cached price query may share one with another module's."""
import importlib
import pkgutil

import data.queries


def test_cached_price_query_names_are_unique_across_modules():
    seen = {}
    for info in pkgutil.iter_modules(data.queries.__path__):
        module = importlib.import_module(f"data.queries.{info.name}")
        for name, value in vars(module).items():
            if callable(value) and hasattr(value, "uncached") and value.__module__ == module.__name__:
                seen.setdefault(name, []).append(info.name)
    # metrics and regions share `series` and `import_dependency` (regions widens metrics' answer): not prices' concern.
    shared = {name: modules for name, modules in seen.items() if len(modules) > 1 and "prices" in modules}
    assert not shared, shared
    assert {"price_releases", "releases"} <= set(seen)
