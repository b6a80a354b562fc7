"""Every browser patch is in assets/patches.js, each with its reason and a test that exists."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PATCHES = ROOT / "assets" / "patches.js"
# What patching Dash, dcc, Plotly or the browser's own functions looks like in a script.
PATCHING = re.compile(r"window\.fetch\s*=|Plotly(\.\w+|\[[^\]]+\])*\s*=(?!=)|Plots\.\w+\s*=(?!=)|window\[[^\]]+\]\s*=(?!=)"
                      r"|\.prototype\.\w+\s*=(?!=)|window\.dash_(?!clientside)\w+\s*=(?!=)")


def _patches():
    """Return {name: comment block above it} of every patch in assets/patches.js."""
    text = PATCHES.read_text()
    found = {}
    for match in re.finditer(r'((?:\n    //[^\n]*)+)\n    patches(?:\.(\w+)|\["([\w-]+)"\]) = function', text):
        found[match.group(2) or match.group(3)] = match.group(1)
    return found


def test_each_patch_says_why_and_names_a_test_that_exists():
    patches = _patches()
    assert set(patches) == {"session", "lazy-bundles", "plotly-resize", "theme-charts", "warm-lazy"}
    for name, comment in patches.items():
        assert "Why a patch:" in comment, name
        tests = re.findall(r"Test: (tests/\S+\.py)", comment)
        assert tests and all((ROOT / t).exists() for t in tests), (name, tests)


def test_no_other_script_patches_anything():
    others = {str(p.relative_to(ROOT)): PATCHING.findall(p.read_text())
              for p in sorted((ROOT / "assets").rglob("*.js")) if p != PATCHES}
    assert {path: found for path, found in others.items() if found} == {}
    assert PATCHING.search(PATCHES.read_text())  # the pattern finds patches where they are
