"""The layout: imports point down the data flow, no cycles, no module over 300 lines (docs/architecture.md#layers)."""
import ast
import functools
import re
from pathlib import Path

from tests.harness.source import parse

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("pages", "callbacks", "ui", "web", "auth", "billing", "teams", "models", "data", "alerts")
# Top-level modules, each a layer of its own: the factory and gunicorn's settings on top, the rest at the bottom.
MODULES = ("app", "gunicorn.conf", "config", "setting_kinds", "extensions", "registry", "links", "jobqueue")
LAYERS = PACKAGES + MODULES
# What each layer may import. pages -> callbacks -> ui/data; auth and billing -> models; everything -> the bottom.
BOTTOM = {"extensions", "registry"}
ALLOWED = {
    "pages": {"callbacks", "ui", "data", "billing"},  # layout: access is decided by callbacks/, auth/, billing/
    "callbacks": {"ui", "data", "auth", *BOTTOM},
    "ui": {"data", "auth", *BOTTOM},
    "web": {"data", "auth", "config", *BOTTOM, "links", "jobqueue"},
    "auth": {"models", *BOTTOM, "links", "jobqueue"},
    "billing": {"models", "auth", *BOTTOM, "links"},
    "teams": {"billing", "alerts", "auth", "models", *BOTTOM, "links", "jobqueue"},
    "models": {*BOTTOM},
    "data": {"config", *BOTTOM},
    "alerts": {"data", "auth", "models", "ui", *BOTTOM, "links", "jobqueue"},
    "app": set(LAYERS) - {"app", "gunicorn.conf"},
    "gunicorn.conf": {"config"},
    "config": {"setting_kinds"},
    "setting_kinds": set(),
    "extensions": set(),
    "registry": set(),  # its imports of layers are for the type checker only (under TYPE_CHECKING)
    "links": {"config"},
    "jobqueue": {"extensions"},
}


def files_of(layer):
    """Return the Python files of a package or top-level module."""
    return sorted((ROOT / layer).rglob("*.py")) if layer in PACKAGES else [ROOT / f"{layer}.py"]


def _type_checking(node):
    """Return True for an `if TYPE_CHECKING:` block: imports the type checker reads, never run."""
    test = node.test if isinstance(node, ast.If) else None
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _nodes(tree):
    """Yield every node of tree outside `if TYPE_CHECKING:` blocks."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(child for child in ast.iter_child_nodes(node) if not _type_checking(child))


@functools.cache
def imports_of(layer):
    """Return the other layers the modules of layer import at run time (at any depth in the code)."""
    found = set()
    for path in files_of(layer):
        for node in _nodes(parse(path)):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            found.update(name.split(".")[0] for name in names)
    return frozenset(found & set(LAYERS) - {layer})  # cached: both layer tests read it, neither changes it


def test_imports_point_down_the_data_flow():
    graph = {layer: imports_of(layer) for layer in LAYERS}
    wrong = {layer: sorted(targets - ALLOWED[layer]) for layer, targets in graph.items() if targets - ALLOWED[layer]}
    assert not wrong, wrong


def test_no_cycles():
    graph = {layer: imports_of(layer) for layer in LAYERS}
    cycles = set()

    def visit(package, path):
        for target in graph[package]:
            if target in path:
                cycles.add(frozenset(path[path.index(target):]))
            else:
                visit(target, path + [target])

    for layer in LAYERS:
        visit(layer, [layer])
    assert not cycles, sorted(sorted(c) for c in cycles)


def test_pages_decide_no_access():
    deciding = [str(p.relative_to(ROOT)) for p in files_of("pages") if "current_user" in p.read_text()]
    assert not deciding, deciding


def test_no_module_over_300_lines():
    long = [str(p.relative_to(ROOT)) for layer in LAYERS for p in files_of(layer)
            if len(p.read_text().splitlines()) > 300]
    assert not long, long


# Inside data/: each stage imports only the stages before it (at any depth in the code, so that a function-level
# import cannot hide a cycle). The bottom (schema, commodities, reference) imports no stage; the web's queries never
# reach the Iceberg lake (web workers load no pyiceberg); pipeline, refresh and the CLI sit on top.
DATA_STAGES = {
    "schema": set(), "commodities": set(), "reference": set(),
    "sources": set(),
    "lake": {"sources"},
    "serving": {"sources", "lake"},
    "queries": {"serving"},
    "pipeline": {"sources", "lake", "serving"},
    "refresh": {"pipeline", "sources"},
    "cli": {"pipeline", "refresh", "sources", "lake", "serving", "queries"},
}
DATA_BOTTOM = {"schema", "commodities", "reference"}


def _data_module(path):
    """Return the dotted module name of a file under data/."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _data_imports():
    """Return {data module: the data modules it imports anywhere in its code}."""
    modules = {_data_module(p): p for p in files_of("data")}
    graph = {}
    for name, path in modules.items():
        found = set()
        for node in ast.walk(parse(path)):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("data"):
                for alias in node.names:
                    child = f"{node.module}.{alias.name}"
                    found.add(child if child in modules else node.module)
            elif isinstance(node, ast.Import):
                found |= {alias.name for alias in node.names if alias.name.startswith("data.")}
        graph[name] = {target for target in found if target in modules and target != name}
    return graph


def test_no_import_cycle_between_data_modules():
    graph = _data_imports()
    cycles, done = set(), set()

    def visit(module, path):
        for target in graph[module]:
            if target in path:
                cycles.add(" -> ".join(path[path.index(target):] + [target]))
            elif target not in done:
                visit(target, path + [target])
        done.add(module)

    for module in graph:
        visit(module, [module])
    assert not cycles, sorted(cycles)


def test_data_stages_import_only_earlier_stages():
    stage = lambda module: module.split(".")[1] if "." in module else None  # noqa: E731
    wrong = []
    for module, targets in _data_imports().items():
        here = stage(module)
        if here is None:
            continue
        allowed = DATA_STAGES[here] | DATA_BOTTOM | {here}
        wrong += [f"{module} -> {t}" for t in targets if stage(t) is not None and stage(t) not in allowed]
    assert not wrong, wrong


# The widgets a filter field is set with: only its field (callbacks/fields.py, callbacks/declared.py) builds one.
WIDGETS = re.compile(r"filters\.(countries|years|year|units|choice|number|slider|toggle)\(")
FIELD_MODULES = {"callbacks/fields.py", "callbacks/declared.py"}


def test_each_page_is_declared_once_and_each_filter_in_its_field():
    pages = {p.stem: p for p in (ROOT / "pages").glob("*.py")}
    for name in ("overview", "production", "trade", "supply", "country", "changes", "prices", "admin"):
        text = pages[name].read_text()
        assert "layout=page.layout" in text and "def " not in text, name  # a registration, nothing declared
        assert "def layout(" in (ROOT / "callbacks" / f"{name}.py").read_text(), name
    placed = [f"{p.relative_to(ROOT)}" for layer in ("pages", "callbacks", "alerts", "teams")
              for p in (ROOT / layer).rglob("*.py")
              if WIDGETS.search(p.read_text()) and f"{p.relative_to(ROOT)}" not in FIELD_MODULES]
    assert not placed, f"a filter widget built outside its field (use PAGE.control): {placed}"
