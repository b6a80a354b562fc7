"""Give every collected test one tier (unit, data, server, browser) from what it and its fixtures use."""
import importlib
import inspect
import sys
import types
from dis import opmap
from functools import lru_cache
from pathlib import Path

from tests.harness.live import SHARED_DATA

# Weakest first: a test gets the strongest tier any of its signals asks for (docs/testing.md).
TIERS = ("unit", "data", "server", "browser")
# Marks other than the tier names that imply a tier.
MARK_TIERS = {"postgres": "server", "redis": "server", "browser": "browser"}
# Fixtures whose names say what they use, whatever their code looks like.
FIXTURE_TIERS = {"real_data_dir": "data", "raw_frame": "data", "enso_data_dir": "data", "grains_data_dir": "data",
                 "live": "server", "live_server": "server", "auth_server": "server", "postgres_database": "server",
                 "redis_url": "server", "page": "browser", "browser": "browser", "chromium": "browser"}
# Name endings that say the same: `billing_server`, `subscriber_page`...
SUFFIX_TIERS = {"_server": "server", "_servers": "server", "_page": "browser"}
# Modules whose use means a process, a socket server or a database server.
SERVER_MODULES = ("subprocess", "multiprocessing", "socket", "socketserver", "http.server", "requests",
                  "psycopg", "redis", "rq", "aiosmtpd", "gunicorn", "smtplib")
BROWSER_MODULES = ("playwright",)


def _module_tier(name):
    """Return the tier a module (by dotted name) implies, or None."""
    for modules, tier in ((BROWSER_MODULES, "browser"), (SERVER_MODULES, "server")):
        if any(name == m or name.startswith(m + ".") for m in modules):
            return tier
    return None


_SHARED_PREFIXES = tuple({str(SHARED_DATA), str(SHARED_DATA.resolve())})


def _under_shared_data(value):
    """Tell whether value is an absolute path into ../shared/data."""
    return isinstance(value, (Path, str)) and str(value).startswith(_SHARED_PREFIXES)


EXTENDED_ARG, IMPORT_NAME = opmap["EXTENDED_ARG"], opmap["IMPORT_NAME"]


def _imports(code):
    """Return the module names code's `import` statements name (a bytecode scan; dis is too slow here)."""
    found, extended = set(), 0
    raw = code.co_code
    for offset in range(0, len(raw), 2):
        op, arg = raw[offset], raw[offset + 1] | extended
        extended = arg << 8 if op == EXTENDED_ARG else 0
        if op == IMPORT_NAME:
            found.add(code.co_names[arg])
    return found


def _read(code):
    """Return (names, imports, strings) that code and the functions nested in it read."""
    names, imports = set(code.co_names), _imports(code)
    strings = {c for c in code.co_consts if isinstance(c, str)}
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            inner = _read(const)
            names |= inner[0]
            imports |= inner[1]
            strings |= inner[2]
    return names, imports, strings


def _values(code, scope):
    """Yield the objects code reads: its globals, and names it imports from modules already loaded."""
    names, imports, _ = _read(code)
    for name in names:
        if name in scope:
            yield scope[name]
    for module in imports:
        if module.startswith("tests.") and module not in sys.modules:
            importlib.import_module(module)  # so that what it holds is read whatever ran before
    for module in [sys.modules[n] for n in names if n in sys.modules and n not in scope]:
        for name in names:  # `from tests.harness.live import ONI_TXT` inside a function
            value = getattr(module, name, None)
            if value is not None and not isinstance(value, types.ModuleType):
                yield value


def _strongest(tiers):
    """Return the strongest of tiers (unit when empty)."""
    return max(tiers, key=TIERS.index, default="unit")


def _object_tier(value, seen):
    """Return the tier a value a test's code reads implies."""
    if isinstance(value, str):
        return "data" if _under_shared_data(value) else "unit"
    if _under_shared_data(value):
        return "data"
    if isinstance(value, types.ModuleType):
        return _module_tier(value.__name__) or "unit"
    module = getattr(value, "__module__", None) or ""
    if not isinstance(module, str):
        return "unit"
    tier = _module_tier(module)
    if tier:
        return tier
    if module.startswith("tests.") and (inspect.isfunction(value) or inspect.isclass(value)):
        return code_tier(value, seen)
    return "unit"


def code_tier(function, seen=None):
    """Return the tier function's code implies, following the helpers of tests/ it calls."""
    seen = set() if seen is None else seen
    if id(function) in seen:
        return "unit"
    seen.add(id(function))
    if inspect.isclass(function):
        methods = [m for m in vars(function).values() if inspect.isfunction(m)]
        return _strongest(code_tier(m, seen) for m in methods)
    function = inspect.unwrap(function)
    code = getattr(function, "__code__", None)
    if code is None:
        return "unit"
    names, imports, strings = _read(code)
    tiers = [_module_tier(name) for name in imports if _module_tier(name)]  # `import psycopg` inside a function
    tiers += ["data" for text in strings if _under_shared_data(text)]
    values = {id(v): v for v in _values(code, getattr(function, "__globals__", {}))}
    return _strongest(tiers + [_object_tier(value, seen) for value in values.values()])


@lru_cache(maxsize=None)
def _cached_code_tier(function):
    """Return code_tier(function), computed once per function."""
    return code_tier(function)


def reasons(item):
    """Return {tier: [why]} for a collected test: its marks, its fixtures and the code they run."""
    found = {}
    for mark in item.iter_markers():
        tier = mark.name if mark.name in TIERS else MARK_TIERS.get(mark.name)
        if tier:
            found.setdefault(tier, []).append(f"mark {mark.name}")
    info = getattr(item, "_fixtureinfo", None)
    for name in getattr(item, "fixturenames", ()):
        named = FIXTURE_TIERS.get(name) or next((t for s, t in SUFFIX_TIERS.items() if name.endswith(s)), None)
        if named:
            found.setdefault(named, []).append(f"fixture {name}")
        for definition in (info.name2fixturedefs.get(name, ()) if info else ()):
            tier = _cached_code_tier(definition.func)
            if tier != "unit":
                found.setdefault(tier, []).append(f"fixture {name} code")
    function = getattr(item, "function", None)
    if function is not None:
        tier = _cached_code_tier(function)
        if tier != "unit":
            found.setdefault(tier, []).append("test code")
    return found


def tier_of(item):
    """Return the one tier of a collected test: the strongest any of its reasons asks for."""
    return _strongest(reasons(item))


def assign(items):
    """Add exactly one tier mark to each item (the strongest); explicit tier marks count as a floor."""
    import pytest

    for item in items:
        tier = tier_of(item)
        for mark in list(item.own_markers):
            if mark.name in TIERS and mark.name != tier:
                item.own_markers.remove(mark)
        if not any(m.name == tier for m in item.own_markers):
            item.add_marker(getattr(pytest.mark, tier))
        item.tier = tier
