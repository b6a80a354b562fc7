"""Record the served answers of a wrk run, then serve them from bench/replay_app.py under the same load."""
import json
import tempfile
from pathlib import Path

import urllib3

from bench.load import alternate
from bench.replay_app import body_key
from tests.harness.live import start_server


def record(url, requests):
    """Return the raw answers (status, headers, undecoded bytes) to [(method, path, body, headers)]."""
    pool = urllib3.PoolManager()
    recorded = []
    for method, path, body, headers in requests:
        # Undecoded: the replay sends the bytes the app sent, compressed where the app compressed them.
        answer = pool.request(method, url + path, body=body or None, headers=headers, decode_content=False,
                              preload_content=True)
        recorded.append({"key": body_key(method, path, body.encode()),
                         "status": f"{answer.status} {answer.reason}",
                         "headers": list(answer.headers.items()), "content": answer.data.hex()})
    return recorded


def replay_rounds(recorded, bodies, headers, seconds, connections, rounds, workers, threads):
    """Serve the recorded answers with gunicorn and run the same alternating wrk rounds; return (health, mix)."""
    path = Path(tempfile.mkdtemp(prefix="bench-replay-")) / "answers.json"
    path.write_text(json.dumps(recorded))
    server = start_server({}, workers=workers, threads=threads, app=f"bench.replay_app:create({str(path)!r})")
    try:
        return alternate(server.url, bodies, headers, seconds, connections, rounds, server.proc.pid)
    finally:
        server.stop()
