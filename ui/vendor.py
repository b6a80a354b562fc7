"""Serve the vendored third-party scripts (vendor/, each beside its licence) that every Dash page loads."""
import hashlib
from pathlib import Path

from flask import Blueprint, abort, send_from_directory

from auth.access import PUBLIC, requires

VENDOR = Path(__file__).resolve().parent.parent / "vendor"
# In page order, right after React: the polyfill's one part Dash uses, then plotly.js, which dcc.Graph then
# finds on window instead of fetching its own full bundle.
SCRIPTS = ("regenerator-runtime/runtime.js", "plotly/plotly-custom.min.js")

bp = Blueprint("vendor", __name__)


@bp.route("/vendor/<path:name>")
@requires(PUBLIC)
def script(name):
    """Send one of the vendored scripts (nothing else under vendor/: build files stay private)."""
    if name not in SCRIPTS:
        abort(404)
    return send_from_directory(VENDOR, name)


def urls():
    """Return each script's URL, versioned by its content so browsers keep it for good."""
    return [f"/vendor/{name}?v={hashlib.blake2b((VENDOR / name).read_bytes(), digest_size=6).hexdigest()}"
            for name in SCRIPTS]


def file_of(view_args):
    """Return (path, fingerprinted) of the file the script route serves for view_args (web/compression.py)."""
    name = view_args.get("name")
    return (str(VENDOR / name) if name in SCRIPTS else None), False
