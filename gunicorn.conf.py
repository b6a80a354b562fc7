"""gunicorn settings: each declared in config.py (see docs/operations.md)."""
import sys
from pathlib import Path

# This project's config.py, whatever the working directory (gunicorn reads this file before its chdir).
sys.path.insert(0, str(Path(__file__).resolve().parent))
from config import read  # noqa: E402

_settings = read()
bind = _settings["GUNICORN_BIND"]
workers = _settings["GUNICORN_WORKERS"]
threads = _settings["GUNICORN_THREADS"]
worker_class = "gthread" if threads > 1 else "sync"
timeout = _settings["GUNICORN_TIMEOUT"]
graceful_timeout = _settings["GUNICORN_GRACEFUL_TIMEOUT"]
# gunicorn's maximum: the app refuses long query strings itself, with a JSON answer on /api/.
limit_request_line = _settings["GUNICORN_LIMIT_REQUEST_LINE"]
keepalive = _settings["GUNICORN_KEEPALIVE"]
max_requests = _settings["GUNICORN_MAX_REQUESTS"]
max_requests_jitter = _settings["GUNICORN_MAX_REQUESTS_JITTER"]
accesslog = _settings["GUNICORN_ACCESS_LOG"]
errorlog = "-"
loglevel = _settings["GUNICORN_LOG_LEVEL"]
access_log_format = _settings["GUNICORN_ACCESS_LOG_FORMAT"]
# Load the app once in the master so workers share its memory copy-on-write.
preload_app = _settings["GUNICORN_PRELOAD"]
