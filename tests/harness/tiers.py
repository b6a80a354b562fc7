"""Give every collected test one tier (unit, data, server, browser) from what it and its fixtures use."""
import dis
import importlib
import inspect
import types
from functools import lru_cache
from pathlib import Path

from tests.harness.live import SHARED_DATA

# Weakest first: a test gets the strongest tier any of its signals asks for.
TIERS = ("unit", "data", "server", "browser")
DESCRIPTIONS = {
    "unit": "no server, no browser, no ../shared/data: small data the test makes (make test-fast)",
    "data": "reads the real files in ../shared/data",
    "server": "starts a process or server (gunicorn, flask CLI, SMTP, fake Stripe) or talks to PostgreSQL/Redis",
    "browser": "drives headless Chromium",
}
# Marks other than the tier names that imply a tier.
MARK_TIERS = {"postgres": "server", "redis": "server", "browser": "browser"}
# Fixtures whose names say what they use, whatever their code looks like.
FIXTURE_TIERS = {"real_data_dir": "data", "raw_frame": "data", "enso_data_dir": "data", "live": "server",
                 "live_server": "server", "auth_server": "server", "postgres_database": "server",
                 "redis_url": "server", "page": "browser", "browser": "browser", "chromium": "browser"}
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


def _under_shared_data(value):
    """Tell whether value is a path into ../shared/data."""
    if not isinstance(value, (Path, str)) or (isinstance(value, str) and "/" not in value):
        return False
    try:
        return Path(value).resolve().is_relative_to(SHARED_DATA.resolve())
    except (OSError, ValueError):
        return False


def _imported(module, name=None):
    """Return module (or its attribute name) as an import in a test's code finds it, or None."""
    try:
        found = importlib.import_module(module)
    except Exception:  # noqa: BLE001 (a name that is not a module: leave it to the other signals)
        return None
    return found if name is None else getattr(found, name, None)


def _values(code, scope):
    """Yield what code (and the functions nested in it) reads: globals, imports, path constants."""
    module = None
    for instruction in dis.get_instructions(code):
        name = instruction.argval
        if instruction.opname == "IMPORT_NAME":
            module = name
            yield _imported(name)
        elif instruction.opname == "IMPORT_FROM" and module:
            yield _imported(module, name)
        elif instruction.opname in ("LOAD_GLOBAL", "LOAD_NAME", "LOAD_ATTR", "LOAD_METHOD") and name in scope:
            yield scope[name]
        elif instruction.opname == "LOAD_CONST" and isinstance(name, str):
            yield name
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _values(const, scope)


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
    values = {id(v): v for v in _values(code, getattr(function, "__globals__", {})) if v is not None}
    return _strongest(_object_tier(value, seen) for value in values.values())


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
        if name in FIXTURE_TIERS:
            found.setdefault(FIXTURE_TIERS[name], []).append(f"fixture {name}")
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
