"""The callback body's nesting bound: no node deeper than MAX_DEPTH, whatever the mix of lists, dicts and scalars."""
import pytest

from ui.callback_access import MAX_DEPTH, _depth_ok


def _deepest(value):
    """Return the depth of value's deepest node (the value itself at 0), recursively."""
    children = list(value.values()) if isinstance(value, dict) else value if isinstance(value, list) else []
    return 1 + max(map(_deepest, children)) if children else 0


def _nest(levels, leaf, kind):
    """Return leaf wrapped in levels lists or one-key dicts, alternating when kind is 'mixed'."""
    for i in range(levels):
        wrap = kind if kind != "mixed" else ("list", "dict")[i % 2]
        leaf = [leaf] if wrap == "list" else {"k": leaf}
    return leaf


@pytest.mark.parametrize("kind", ["list", "dict", "mixed"])
@pytest.mark.parametrize("leaf", [1, "x", None, [], {}])
@pytest.mark.parametrize("levels", [0, 1, MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1, MAX_DEPTH + 5])
def test_depth_bound_matches_the_deepest_node(kind, leaf, levels):
    body = {"inputs": [{"value": 1}, {"value": _nest(levels, leaf, kind)}]}  # the leaf sits 3 levels below
    assert _depth_ok(body) == (_deepest(body) <= MAX_DEPTH)


def test_a_wide_shallow_body_is_fine_and_one_deep_branch_is_not():
    wide = {"inputs": [{"id": str(i), "value": list(range(50))} for i in range(200)]}
    assert _depth_ok(wide)
    wide["inputs"][150]["value"] = _nest(MAX_DEPTH, 0, "list")
    assert not _depth_ok(wide)
