"""Migrated users databases: run the migrations once per process, then copy the result for each test."""
import atexit
import shutil
import tempfile
from pathlib import Path

from tests.harness.live import SECRET

_TEMPLATES = {}


def migrate(url, data_dir=None):
    """Apply every migration to the database at url, in this process."""
    from flask_migrate import upgrade

    from app import create_app
    from extensions import db

    data_dir = data_dir or Path(tempfile.gettempdir()) / "beanflows-no-data"
    app = create_app({"TESTING": True, "SECRET_KEY": SECRET, "SQLALCHEMY_DATABASE_URI": url,
                      "BEANFLOWS_DATA_DIR": str(data_dir)})
    with app.app_context():
        upgrade()
        db.session.remove()
        db.engine.dispose()
    return app


def sqlite_template():
    """Return the path of a SQLite users database migrated once in this process (read it, never write it)."""
    if "sqlite" not in _TEMPLATES:
        folder = Path(tempfile.mkdtemp(prefix="beanflows-migrated-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        migrate(f"sqlite:///{folder / 'users.db'}")
        leftovers = [p.name for p in folder.iterdir() if p.name != "users.db"]
        assert not leftovers, f"the migrated template left {leftovers} beside it: copy them too"
        _TEMPLATES["sqlite"] = folder / "users.db"
    return _TEMPLATES["sqlite"]


def sqlite_path(url):
    """Return the file of a sqlite:/// URL, or None for another database."""
    prefix = "sqlite:///"
    return Path(url[len(prefix):]) if url.startswith(prefix) and "?" not in url else None


def copy_migrated(url):
    """Make the SQLite database at url a fresh copy of the migrated template; return url.

    The same schema `flask db upgrade` makes, at the cost of a file copy instead of every migration.
    """
    path = sqlite_path(url)
    if path is None:
        raise ValueError(f"not a SQLite file URL: {url}")
    if path.exists():
        raise FileExistsError(f"{path} exists: a test database is copied only into a new file")
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(sqlite_template(), path)
    return url


def dump_schema(database, schema):
    """Return the SQL that rebuilds a PostgreSQL schema, rows included, as pg_dump writes it; None without pg_dump.

    Running it (with the schema renamed) copies a migrated schema in milliseconds; CREATE DATABASE ... TEMPLATE
    waits for a checkpoint, seconds on a busy machine.
    """
    import subprocess

    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        return None
    dump = subprocess.run([pg_dump, "--host", "127.0.0.1", "--port", "5432", "--username", "postgres",
                           "--schema", schema, "--inserts", "--no-owner", "--no-privileges", database],
                          capture_output=True, text=True, check=True).stdout
    # Lines such as \restrict are psql's own commands, not SQL the server runs.
    return "\n".join(line for line in dump.splitlines() if not line.startswith("\\"))
