"""JSON log lines carry the request id the response echoes; refusals and webhook decisions are logged with reasons."""
import json
import time

import requests

API = "/api/v1/metrics?metric=production&country=BRA"


def _json_lines(server):
    """Return the server's stderr lines that parse as JSON objects."""
    lines = []
    for line in server.log.read_text().splitlines():
        try:
            lines.append(json.loads(line))
        except ValueError:
            pass
    return lines


def test_request_id_is_echoed_and_on_the_refusal_log_line(live_server):
    server = live_server  # its log also holds other tests' lines: every one must have the format
    refused = requests.get(server.url + API, headers={"X-Request-ID": "trace-42.a"}, timeout=10)
    assert refused.status_code == 401 and refused.headers["X-Request-ID"] == "trace-42.a"
    for bad in ("x" * 200, "a b", "<script>"):
        echoed = requests.get(server.url + "/healthz", headers={"X-Request-ID": bad}, timeout=10).headers["X-Request-ID"]
        assert echoed != bad and len(echoed) == 32
    fresh = requests.get(server.url + "/healthz", timeout=10).headers["X-Request-ID"]
    assert len(fresh) == 32
    time.sleep(0.5)
    lines = _json_lines(server)
    refusals = [line for line in lines if line.get("message") == "access refused"]
    assert any(r["request_id"] == "trace-42.a" and r["path"] == "/api/v1/metrics" and r["status"] == 401
               and r["reason"] for r in refusals), refusals
    assert lines and all({"time", "level", "logger", "message", "request_id"} <= set(line) for line in lines)
