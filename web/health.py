"""GET /healthz: the app and its data are up."""
from pathlib import PurePath

from flask import Blueprint, jsonify

from auth.access import PUBLIC, requires
from data.queries import metrics as queries
from data.serving.reader import NoData
from web import unlimited

bp = Blueprint("health", __name__)
bp.record_once(lambda state: unlimited.declare(state.app, "health.healthz"))  # load balancers poll it


@bp.get("/healthz")
@requires(PUBLIC)
def healthz():
    """Return status, data source kind and load time as JSON."""
    try:
        info = queries.load_info()
    except NoData:
        return jsonify(status="no data", source_kind=None, loaded_at=None), 503
    except Exception as exc:  # any failure to read the data means unhealthy
        return jsonify(status="error", error=type(exc).__name__, source_kind=None, loaded_at=None), 503
    return jsonify(
        status="ok",
        source_kind=info["source_kind"],
        source=info["source"] if "://" in info["source"] else PurePath(info["source"]).name,  # no server paths
        loaded_at=info["loaded_at"].isoformat(),
        rows=info["rows"],
        snapshot_id=info["snapshot_id"],
    )
