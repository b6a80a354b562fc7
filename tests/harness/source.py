"""Parse the project's Python files for tests that read its code."""
import ast

# CPython 3.11.7 keeps the AST builder's depth count per interpreter, not per thread (cpython gh-106905, fixed in
# 3.11.8): when another thread of the process builds an AST at the same moment (3.11's traceback formatting does,
# for a server thread logging an error), ast.parse raises "AST constructor recursion depth mismatch". The count is
# set afresh on every call, so a second parse, once the other thread is done, gives the tree.
ATTEMPTS = 5


def parse(path):
    """Return the AST of the Python file at path."""
    source = path.read_text()
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return ast.parse(source, str(path))
        except SystemError:
            if attempt == ATTEMPTS:
                raise
    raise AssertionError("unreachable")
