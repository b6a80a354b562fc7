"""A WSGI app that answers with recorded responses and does no work: the transport's own ceiling."""
import hashlib
import json
from pathlib import Path

DROPPED = {"content-length", "date", "server", "connection", "transfer-encoding"}


def body_key(method, path, body):
    """Return the key a recorded answer is stored under."""
    return hashlib.sha256(f"{method} {path} ".encode() + body).hexdigest()


def create(recorded):
    """Return a WSGI app answering each (method, path, body) recorded in the JSON file with its bytes."""
    answers = {}
    for item in json.loads(Path(recorded).read_text()):
        headers = [(k, v) for k, v in item["headers"] if k.lower() not in DROPPED]
        content = bytes.fromhex(item["content"])
        answers[item["key"]] = (item["status"], headers + [("Content-Length", str(len(content)))], content)

    def app(environ, start_response):
        """Read the request body as a server must, then send the recorded answer."""
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        status, headers, content = answers[body_key(environ["REQUEST_METHOD"], environ["PATH_INFO"], body)]
        start_response(status, headers)
        return [content]
    return app
