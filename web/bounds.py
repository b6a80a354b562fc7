"""Refuse over-long URLs and bodies with a short answer, JSON on the API."""
from flask import jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge, RequestURITooLarge

from auth.access import API_PREFIX

# Below gunicorn's limit_request_line (gunicorn.conf.py), so the app, not gunicorn, answers.
MAX_QUERY_STRING = 4096


def _check_query_length():
    """Refuse a query string longer than MAX_QUERY_STRING."""
    if len(request.query_string) > MAX_QUERY_STRING:
        raise RequestURITooLarge(f"The query string is longer than {MAX_QUERY_STRING} characters.")


def _json_on_api(error):
    """Answer an HTTP error on the API as {"error": ...}; elsewhere keep Flask's page."""
    if request.path.startswith(API_PREFIX):
        return jsonify(error=error.description), error.code
    return error


def init_app(app):
    """Check every request's query length; answer size errors in JSON on the API."""
    app.before_request(_check_query_length)
    for error in (RequestURITooLarge, RequestEntityTooLarge):
        app.register_error_handler(error, _json_on_api)
