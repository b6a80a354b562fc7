"""A gunicorn worker leaves out what only other commands or setups need: Stripe's SDK, Alembic, RQ."""
import json
import os
import subprocess
import sys

import gunicorn

from tests.harness.live import ROOT

# Build the app as gunicorn's master does (it names itself in SERVER_SOFTWARE), serve the landing page and
# a health check, and list which of the optional heavy packages got imported.
SCRIPT = """
import json, sys
from app import create_app
app = create_app()
client = app.test_client()
assert client.get("/healthz").status_code == 200
assert client.get("/").status_code == 200
print(json.dumps(sorted(m for m in ("stripe", "alembic", "flask_migrate", "rq", "redis") if m in sys.modules)))
"""


def _imported(tmp_path, real_data_dir, extra_env):
    """Return the optional packages an app built with extra_env imported."""
    env = {**{k: v for k, v in os.environ.items() if k != "REDIS_URL"}, "BEANFLOWS_DATA_DIR": str(real_data_dir), "SECRET_KEY": "x" * 32,
           "DATABASE_URL": f"sqlite:///{tmp_path / 'users.db'}", **extra_env}
    out = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
                         check=True, timeout=120)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_a_gunicorn_worker_without_redis_imports_neither_stripe_nor_alembic_nor_rq(tmp_path, real_data_dir):
    assert _imported(tmp_path, real_data_dir, {"SERVER_SOFTWARE": gunicorn.SERVER_SOFTWARE}) == []


def test_the_flask_command_still_sets_up_migrations(tmp_path, real_data_dir):
    # Outside gunicorn (`flask db upgrade`, tests) Flask-Migrate is set up as before.
    assert _imported(tmp_path, real_data_dir, {"SERVER_SOFTWARE": ""}) == ["alembic", "flask_migrate"]
