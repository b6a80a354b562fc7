"""GET /docs/api (the data API, readable) and /docs/api/openapi.json (its OpenAPI document)."""
from flask import Blueprint, current_app, jsonify, render_template

from auth.access import PUBLIC, requires
from links import base_url
from web import openapi

bp = Blueprint("api_docs", __name__, template_folder="templates")


@bp.get("/docs/api/openapi.json")
@requires(PUBLIC)
def openapi_json():
    """Return the OpenAPI document of the data API."""
    return jsonify(openapi.document())


@bp.get("/docs/api")
@requires(PUBLIC)
def api_docs():
    """Render the data API's documentation from its OpenAPI document."""
    doc = openapi.document()
    root = base_url(current_app.config)
    examples = [{"key": key, "summary": summary, "url": url, "media": media,
                 "curl": f'curl -H "Authorization: Bearer <token>" "{root}{url}"'}
                for key, summary, url, media in openapi.example_links()]
    operations = [(path, method, op) for path, item in doc["paths"].items() for method, op in item.items()]
    return render_template("web/api_docs.html", doc=doc, operations=operations, examples=examples,
                           error_example=openapi.ERROR_EXAMPLE)
