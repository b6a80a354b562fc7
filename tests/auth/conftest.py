"""Auth fixtures: every test runs on SQLite and on PostgreSQL (fresh database or schema each)."""
import re
import uuid
from urllib.parse import quote

import pytest
import requests

from tests.auth import admin_ops
from tests.conftest import PASSWORD, SECRET, base_config, login_session, start_server

PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
PG_SQLALCHEMY = "postgresql+psycopg://postgres@127.0.0.1:5432/{db}"
BACKENDS = ["sqlite", "postgres"]


def _pg_connect(url=PG_ADMIN_URL):
    """Return an autocommit psycopg connection, or None when PostgreSQL is unreachable."""
    import psycopg

    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        return None


@pytest.fixture(scope="session")
def pg_database(postgres_database):
    """Return the name of a PostgreSQL database made for this test session (xdist-safe; skips when unreachable)."""
    return postgres_database().rsplit("/", 1)[1]


def database_url(request, tmp_path):
    """Return a fresh, empty database URL for the backend request.param names."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'auth.db'}"
    database = request.getfixturevalue("pg_database")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with _pg_connect(f"postgresql://postgres@127.0.0.1:5432/{database}") as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    request.addfinalizer(lambda: _drop_schema(database, schema))
    return PG_SQLALCHEMY.format(db=database) + "?options=" + quote(f"-csearch_path={schema}")


def _drop_schema(database, schema):
    """Drop one test schema."""
    with _pg_connect(f"postgresql://postgres@127.0.0.1:5432/{database}") as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def _schema_url(database, schema):
    """Return the SQLAlchemy URL of one schema of a PostgreSQL database."""
    return PG_SQLALCHEMY.format(db=database) + "?options=" + quote(f"-csearch_path={schema}")


@pytest.fixture(scope="session")
def pg_template(pg_database):
    """Return (schema, SQL that rebuilds it) of a schema migrated once this session; SQL is None without pg_dump."""
    from tests.harness.databases import dump_schema, migrate

    schema = f"t_template_{uuid.uuid4().hex[:12]}"
    with _pg_connect(f"postgresql://postgres@127.0.0.1:5432/{pg_database}") as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    migrate(_schema_url(pg_database, schema))
    return schema, dump_schema(pg_database, schema)


def migrated_database_url(request, tmp_path):
    """Return the URL of a fresh, migrated database for the backend request.param names.

    A copy of one migrated once: the SQLite file, or the PostgreSQL schema rebuilt from pg_dump's SQL.
    """
    from tests.harness.databases import copy_migrated, migrate

    if request.param == "sqlite":
        return copy_migrated(f"sqlite:///{tmp_path / 'auth.db'}")
    database = request.getfixturevalue("pg_database")
    template, script = request.getfixturevalue("pg_template")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with _pg_connect(f"postgresql://postgres@127.0.0.1:5432/{database}") as conn:
        if script:
            conn.execute(script.replace(template, schema))
        else:
            conn.execute(f'CREATE SCHEMA "{schema}"')
    request.addfinalizer(lambda: _drop_schema(database, schema))
    if not script:
        migrate(_schema_url(database, schema))
    return _schema_url(database, schema)


@pytest.fixture(params=BACKENDS)
def auth_app(request, tmp_path, real_data_dir):
    """Return an app on a fresh, migrated users database: SQLite, then PostgreSQL."""
    from app import create_app
    from extensions import db

    config = base_config(tmp_path, real_data_dir)
    config["SQLALCHEMY_DATABASE_URI"] = migrated_database_url(request, tmp_path)
    config["ARGON2_PROFILE"] = "CHEAPEST"  # still argon2id; the default costs ~0.5 s per login here
    application = create_app(config)
    with application.app_context():
        assert db.engine.dialect.name == {"sqlite": "sqlite", "postgres": "postgresql"}[request.param]
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def auth_client(auth_app):
    """Return a test client of auth_app."""
    return auth_app.test_client()


def cli_user(app, email, *flags, password=PASSWORD):
    """Create a user through the create-user command of an in-process app."""
    result = app.test_cli_runner().invoke(args=["create-user", email, *flags, "--password-stdin"], input=password + "\n")
    assert result.exit_code == 0, result.output
    return email


def form_token(client, url="/login"):
    """Return the CSRF token of the form at url (test client or requests.Session base URL)."""
    text = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', text).group(1)


def client_login(client, email, password=PASSWORD, **extra):
    """Log a test client in through the form; return the POST response."""
    data = {"email": email, "password": password, "csrf_token": form_token(client), **extra}
    return client.post("/login", data=data)


class Roles:
    """Logged-in requests.Sessions of one live server, one per role of the matrix."""

    def __init__(self, server):
        self.server = server
        self.sessions = {}

    def url(self, path):
        """Return the absolute URL of path on the server."""
        return self.server.url + path


def _anonymous(server):
    """Return a requests.Session that has fetched a page (so it holds a CSRF cookie)."""
    session = requests.Session()
    session.get(server.url + "/", timeout=10)
    return session


def csrf_cookie(session):
    """Return the Dash CSRF cookie value of a session, fetching a page if needed."""
    return session.cookies.get("_csrf_token")


def prepare_database(url, data_dir, users):
    """Migrate a users database in-process and create users [(email, admin, comp)] (no CLI start-up per user)."""
    from flask_migrate import upgrade

    from app import create_app
    from auth.users import create_user as make_user
    from extensions import db

    app = create_app({"TESTING": True, "SECRET_KEY": SECRET, "SQLALCHEMY_DATABASE_URI": url,
                      "BEANFLOWS_DATA_DIR": str(data_dir)})
    with app.app_context():
        upgrade()
        for email, admin, comp in users:
            make_user(email, PASSWORD, admin=admin, comp=comp)
        db.session.remove()
        db.engine.dispose()


MATRIX_USERS = [("matrix-admin@example.com", True, False), ("matrix-free@example.com", False, False),
                ("matrix-subscriber@example.com", False, True), ("matrix-disabled@example.com", False, False)]


@pytest.fixture(scope="session", params=BACKENDS)
def auth_server(request, tmp_path_factory, real_data_dir):
    """Return a gunicorn server on SQLite, then PostgreSQL, with one session per matrix role."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('auth-live') / 'users.db'}"
    else:
        url = PG_SQLALCHEMY.format(db=request.getfixturevalue("pg_database"))
    prepare_database(url, real_data_dir, MATRIX_USERS)
    server = start_server({"DATABASE_URL": url, "BEANFLOWS_DATA_DIR": str(real_data_dir), "SECRET_KEY": SECRET})
    server.backend = request.param
    try:
        roles = Roles(server)
        roles.sessions = {
            "anonymous": _anonymous(server),
            "free": login_session(server, "matrix-free@example.com"),
            "subscriber": login_session(server, "matrix-subscriber@example.com"),
            "disabled": login_session(server, "matrix-disabled@example.com"),
            "admin": login_session(server, "matrix-admin@example.com"),
        }
        for session in roles.sessions.values():
            session.get(server.url + "/", timeout=10)  # the Dash CSRF cookie of the current session
        status = admin_ops.change(roles.sessions["admin"], server.url, "matrix-disabled@example.com", "active", False)
        assert "disabled" in status, status
        yield roles
    finally:
        server.stop()


class _Cookies:
    """Read a test client's cookies by name, like requests' cookie jar."""

    def __init__(self, client):
        self.client = client

    def get(self, name, default=None):
        """Return a cookie value or default."""
        found = self.client.get_cookie(name)
        return found.value if found else default


class ClientSession:
    """Give a Flask test client the small part of requests.Session that DashClient uses."""

    def __init__(self, client):
        self.client = client
        self.cookies = _Cookies(client)

    def get(self, url, timeout=None, **kwargs):
        """GET a path (the base URL is empty)."""
        return _Response(self.client.get(url, **kwargs))

    def post(self, url, json=None, headers=None, timeout=None, **kwargs):
        """POST JSON to a path."""
        return _Response(self.client.post(url, json=json, headers=headers, **kwargs))


class _Response:
    """A Flask test response with the requests-style attributes DashClient reads."""

    def __init__(self, response):
        self.status_code = response.status_code
        self.text = response.get_data(as_text=True)
        self.content = response.get_data()
        self._response = response

    def json(self):
        """Return the JSON body."""
        return self._response.get_json(force=True)

    def raise_for_status(self):
        """Fail on an error status."""
        assert self.status_code < 400, self.status_code


def dash_for(client):
    """Return a DashClient driving an in-process test client."""
    from tests.harness.dash_client import DashClient

    client.get("/")  # sets the Dash CSRF cookie
    return DashClient(ClientSession(client), "")


class SmtpServer:
    """A minimal SMTP server on a free loopback port that keeps what it receives."""

    def __init__(self):
        import socketserver
        import threading

        self.messages = []
        outer = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                self.wfile.write(b"220 test ESMTP\r\n")
                sender, recipients = None, []
                while line := self.rfile.readline():
                    command = line.decode().strip()
                    upper = command.upper()
                    if upper.startswith(("EHLO", "HELO")):
                        self.wfile.write(b"250 test\r\n")
                    elif upper.startswith("MAIL FROM:"):
                        sender = command[10:].strip(" <>")
                        self.wfile.write(b"250 OK\r\n")
                    elif upper.startswith("RCPT TO:"):
                        recipients.append(command[8:].strip(" <>"))
                        self.wfile.write(b"250 OK\r\n")
                    elif upper == "DATA":
                        self.wfile.write(b"354 go on\r\n")
                        body = []
                        while (data := self.rfile.readline()) not in (b".\r\n", b""):
                            body.append(data.decode())
                        outer.messages.append((sender, recipients, "".join(body)))
                        self.wfile.write(b"250 queued\r\n")
                    elif upper == "QUIT":
                        self.wfile.write(b"221 bye\r\n")
                        return
                    else:
                        self.wfile.write(b"250 OK\r\n")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        """Stop the server."""
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def smtp_server():
    """Return a running SmtpServer."""
    server = SmtpServer()
    yield server
    server.close()
