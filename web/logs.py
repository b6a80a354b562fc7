"""JSON logs with a request id on every line, echoed as X-Request-ID; every refusal logged with its reason."""
import logging
import re
import uuid

from flask import g, has_request_context, request

log = logging.getLogger("beanflows.access")

HEADER = "X-Request-ID"
SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


class RequestIdFilter(logging.Filter):
    """Stamp each record with the current request's id ('-' outside requests)."""

    def filter(self, record):
        """Add request_id to record; never drop it."""
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


def configure():
    """Send every log line to stderr as one JSON object with a request id (other handlers are kept)."""
    from pythonjsonlogger.json import JsonFormatter

    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "beanflows_json", False)]:
        root.removeHandler(old)
    handler = logging.StreamHandler()
    handler.beanflows_json = True
    handler.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
                                       rename_fields={"asctime": "time", "levelname": "level", "name": "logger"}))
    handler.addFilter(RequestIdFilter())
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    # Alembic announces each of its plugins at INFO whenever it is first imported (by `flask db`).
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


def _start():
    """Take a sane incoming X-Request-ID, or make one."""
    incoming = request.headers.get(HEADER, "")
    g.request_id = incoming if SANE_ID.fullmatch(incoming) else uuid.uuid4().hex


def _finish(response):
    """Echo the request id; log refusals (401/403, or any the gate recorded in g.refusal) with their reason."""
    if "request_id" not in g:  # refused before _start ran (an over-long URL)
        _start()
    response.headers[HEADER] = g.request_id
    refusal = g.get("refusal")
    if refusal or response.status_code in (401, 403):
        refusal = refusal or {"reason": response.status, "required": None}
        log.warning("access refused", extra={**refusal, "method": request.method, "path": request.path,
                                              "status": response.status_code})
    return response


def init_app(app):
    """Log as JSON (except under tests, which capture logs themselves) and tag every request."""
    if not app.testing:
        configure()
    app.before_request(_start)
    app.after_request(_finish)
