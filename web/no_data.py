"""Answer a request that needs served data before any is loaded: 503 with the reason, never a 500."""
from flask import jsonify, render_template, request

from auth.access import API_PREFIX
from data.serving.reader import NoData

MESSAGE = "No data is loaded yet. An operator loads it with `flask --app app ingest`; try again then."


def _no_data(exc):
    """Return 503: JSON on the API, the error page elsewhere."""
    if request.path.startswith(API_PREFIX):
        return jsonify(error="no data loaded yet"), 503
    return render_template("auth/error.html", title="No data loaded yet", message=MESSAGE), 503


def init_app(app):
    """Register the answer for every view that raises NoData."""
    app.register_error_handler(NoData, _no_data)
