"""The package layout: imports point down the data flow, no package cycles, no module over 300 lines."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("pages", "callbacks", "ui", "web", "auth", "billing", "models", "data", "alerts")
# What each package may import. pages -> callbacks -> ui/data; auth and billing -> models.
ALLOWED = {
    "pages": {"callbacks", "ui", "data", "auth", "billing", "models"},
    "callbacks": {"ui", "data", "auth"},
    "ui": {"data", "auth"},
    "web": {"data", "auth"},
    "auth": {"models"},
    "billing": {"models", "auth"},
    "models": set(),
    "data": set(),
    "alerts": {"data", "auth", "models", "ui"},
}


def imports_of(package):
    """Return the other first-party packages the modules of package import (at any depth in the code)."""
    found = set()
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            found.update(name.split(".")[0] for name in names)
    return found & set(PACKAGES) - {package}


def test_imports_point_down_the_data_flow():
    graph = {package: imports_of(package) for package in PACKAGES}
    wrong = {package: sorted(targets - ALLOWED[package]) for package, targets in graph.items()
             if targets - ALLOWED[package]}
    assert not wrong, wrong


def test_no_package_cycles():
    graph = {package: imports_of(package) for package in PACKAGES}
    cycles = set()

    def visit(package, path):
        for target in graph[package]:
            if target in path:
                cycles.add(frozenset(path[path.index(target):]))
            else:
                visit(target, path + [target])

    for package in PACKAGES:
        visit(package, [package])
    assert not cycles, sorted(sorted(c) for c in cycles)


def test_no_module_over_300_lines():
    long = [str(p.relative_to(ROOT)) for package in PACKAGES for p in (ROOT / package).rglob("*.py")
            if len(p.read_text().splitlines()) > 300]
    assert not long, long
