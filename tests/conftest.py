"""Shared fixtures: real data loaded once, app, client, runner, live server; each test's tier."""
import os
import sys
from contextlib import contextmanager

import pytest

from tests.harness import tiers
from tests.harness.once import built_once

# Admins of the tests' apps and servers (and the flask commands they start) are not asked for a second factor unless
# a test says so (tests/signin/ does): REQUIRE_ADMIN_MFA is on by default outside development.
os.environ.setdefault("REQUIRE_ADMIN_MFA", "0")

from tests.harness.live import (  # noqa: F401  (re-exported for test modules)
    PASSWORD,
    RAW_CSV,
    RAW_ZIP,
    ROOT,
    SECRET,
    SHARED_DATA,
    LiveServer,
    browser_cookies,
    create_user,
    free_port,
    launch_chromium,
    login_session,
    migrate_database,
    start_server,
)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Give each test one tier mark (unit, data, server, browser) before `-m` selects."""
    tiers.assign(items)


_UNIT_GUARD = {"item": None, "used": []}


def _unit_audit(event, args):
    """Note what a running unit test must not do: read ../shared/data or start a process.

    Servers and databases are found from the code and fixtures a test uses (tests/harness/tiers.py): a
    connection refused on purpose is no server."""
    if _UNIT_GUARD["item"] is None:
        return
    if event == "open" and isinstance(args[0], (str, os.PathLike)) and \
            os.fspath(args[0]).startswith(str(SHARED_DATA)):
        _UNIT_GUARD["used"].append(f"opened {os.fspath(args[0])}")
    elif event == "subprocess.Popen":
        _UNIT_GUARD["used"].append(f"started {args[0]}")


sys.addaudithook(_unit_audit)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    """Watch a unit test from its setup on."""
    if getattr(item, "tier", None) == "unit":
        _UNIT_GUARD.update(item=item, used=[])
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Fail a unit test that read real data or started a process (it belongs to a stronger tier)."""
    result = yield
    used, _UNIT_GUARD["item"] = _UNIT_GUARD["used"], None
    if getattr(item, "tier", None) == "unit" and used:
        pytest.fail(f"unit test {used[0]} (and {len(used) - 1} more): mark it data/server/browser "
                    "or use a fixture that says so (docs/testing.md)", pytrace=False)
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item):
    """Stop watching once a test is done, whatever its setup did."""
    _UNIT_GUARD["item"] = None
    return (yield)


def base_config(tmp_path, data_dir):
    """Return app settings for a test app with its own users database."""
    return {
        "TESTING": True,
        "SECRET_KEY": SECRET,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'users.db'}",
        "BEANFLOWS_DATA_DIR": str(data_dir),
        "RATELIMIT_STORAGE_URI": "memory://",
        "CACHE_TYPE": "SimpleCache",
    }


@pytest.fixture(scope="session")
def real_data_dir(request, tmp_path_factory):
    """Return a data dir holding the real USDA coffee file and both World Bank Pink Sheet editions, once per run."""
    if not RAW_ZIP.exists():
        pytest.fail(f"real data missing: {RAW_ZIP}")
    from data import pipeline
    from tests.harness.live import PINK_SHEETS

    def build(data_dir):
        pipeline.ingest({"BEANFLOWS_DATA_DIR": str(data_dir)}, str(RAW_ZIP))
        for edition in PINK_SHEETS:  # oldest first: the newer edition is served, the older kept as a release
            pipeline.ingest_prices({"BEANFLOWS_DATA_DIR": str(data_dir)}, str(edition))

    return built_once(request, tmp_path_factory, "real-data", build)


@pytest.fixture(scope="session")
def grains_data_dir(request, tmp_path_factory):
    """Return a data dir holding the real coffee file and USDA's grains file, each ingested once per run (read-only)."""
    from data import pipeline
    from tests.harness.live import GRAINS_ZIP

    return built_once(request, tmp_path_factory, "grains-data", lambda data_dir: [
        pipeline.ingest({"BEANFLOWS_DATA_DIR": str(data_dir)}, str(source)) for source in (RAW_ZIP, GRAINS_ZIP)])


@pytest.fixture(scope="session")
def enso_data_dir(request, tmp_path_factory):
    """Return a data dir holding the real USDA coffee file and NOAA's ONI file, each ingested once per run."""
    from data import pipeline
    from tests.harness.live import ONI_TXT

    def build(data_dir):
        pipeline.ingest_enso({"BEANFLOWS_DATA_DIR": str(data_dir)}, str(ONI_TXT))
        pipeline.ingest({"BEANFLOWS_DATA_DIR": str(data_dir)}, str(RAW_ZIP))

    return built_once(request, tmp_path_factory, "enso-data", build)


@pytest.fixture(scope="session")
def raw_frame():
    """Return the raw USDA CSV read by pandas, independent of the code under test."""
    import pandas as pd

    return pd.read_csv(RAW_CSV, dtype={"Commodity_Code": str, "Country_Code": str, "Attribute_ID": int})


@pytest.fixture
def app(tmp_path, real_data_dir):
    """Return an app on the real data with a fresh, migrated users database (a copy of one migrated once)."""
    from app import create_app
    from tests.harness.databases import copy_migrated

    config = base_config(tmp_path, real_data_dir)
    copy_migrated(config["SQLALCHEMY_DATABASE_URI"])
    return create_app(config)


@pytest.fixture
def client(app):
    """Return a test client for app."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """Return a CLI runner for app."""
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, real_data_dir):
    """Return a gunicorn server on the real data with its own users database."""
    yield from _served(tmp_path_factory.mktemp("live"), real_data_dir)


@pytest.fixture(scope="session")
def two_workers(tmp_path_factory, real_data_dir):
    """Return a gunicorn server with two workers (what one worker memoised, the other must not) on the real data."""
    yield from _served(tmp_path_factory.mktemp("two-workers"), real_data_dir, workers=2)


def _served(tmp, data_dir, workers=1):
    """Yield a gunicorn server on data_dir with a fresh users database in tmp, stopped afterwards."""
    database_url = f"sqlite:///{tmp / 'users.db'}"
    migrate_database(database_url, data_dir)
    server = start_server({"DATABASE_URL": database_url, "BEANFLOWS_DATA_DIR": str(data_dir)}, workers=workers)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def enso_server(tmp_path_factory, enso_data_dir):
    """Return a gunicorn server on the real USDA and ONI data with its own users database."""
    yield from _served(tmp_path_factory.mktemp("enso-live"), enso_data_dir)


@pytest.fixture(scope="session")
def subscriber_session(live_server):
    """Return a requests.Session of a subscriber (access granted by an admin) on live_server."""
    email = create_user(live_server, "analyst@example.com", "--comp")
    return login_session(live_server, email)


@pytest.fixture(scope="session")
def free_session(live_server):
    """Return a requests.Session of a registered user without a subscription."""
    email = create_user(live_server, "free@example.com")
    return login_session(live_server, email)


@pytest.fixture(scope="session")
def browser():
    """Return a headless Debian Chromium driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = launch_chromium(pw)
        yield instance
        instance.close()


@contextmanager
def open_page(browser, server, session):
    """Yield a Playwright page carrying session's cookies, collecting console errors; close its context after."""
    context = browser.new_context(base_url=server.url, accept_downloads=True)
    try:
        context.add_cookies(browser_cookies(session, server))
        page = context.new_page()
        page.console_errors = []
        page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
        page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
        yield page
    finally:
        context.close()


@pytest.fixture
def subscriber_page(browser, live_server, subscriber_session):
    """Return a Playwright page logged in as the subscriber; fails on console errors."""
    with open_page(browser, live_server, subscriber_session) as page:
        yield page


@pytest.fixture
def free_page(browser, live_server, free_session):
    """Return a Playwright page logged in as a user without a subscription."""
    with open_page(browser, live_server, free_session) as page:
        yield page


@pytest.fixture(scope="session")
def raw_by_code(raw_frame):
    """Return raw coffee values by (ISO3 code, market year) x attribute id, codes filled from the documented map."""
    from data.schema import FALLBACK_COUNTRY_CODES

    frame = raw_frame[raw_frame["Commodity_Code"] == "0711100"].copy()
    frame["code"] = [c if isinstance(c, str) and c else FALLBACK_COUNTRY_CODES[n]
                     for c, n in zip(frame["Country_Code"], frame["Country_Name"])]
    return blank_unreported(
        frame.pivot_table(index=["code", "Market_Year"], columns="Attribute_ID", values="Value", aggfunc="first"))


def blank_unreported(wide):
    """Return a wide raw frame (one row per country-year) with all-zero rows, country-years not reported, as NaN."""
    return wide.mask((wide.fillna(0) == 0).all(axis=1))


PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
REDIS_URL = "redis://127.0.0.1:6379/0"


def unavailable(reason):
    """Skip a test whose service is down; under CI=true fail it instead, since CI machines run both services."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: tests needing it must not skip)", pytrace=False)
    pytest.skip(reason)


def _postgres_admin():
    """Return an autocommit connection to the `test` database, or None when unreachable."""
    import psycopg

    try:
        return psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        return None


@pytest.fixture(scope="session")
def postgres_database():
    """Yield a factory of fresh PostgreSQL databases (SQLAlchemy URLs), dropped at the end."""
    import uuid

    admin = _postgres_admin()
    if admin is None:
        unavailable("PostgreSQL is not reachable on 127.0.0.1:5432")
    created = []

    def make():
        name = f"beanflows_{uuid.uuid4().hex[:12]}"
        admin.execute(f'CREATE DATABASE "{name}"')
        created.append(name)
        return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"

    yield make
    for name in created:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture(scope="session")
def redis_url():
    """Return the Redis URL; skip (fail under CI=true) when Redis is not reachable."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError:
        unavailable("Redis is not reachable on 127.0.0.1:6379")
    return REDIS_URL


@pytest.fixture(scope="session")
def s3_store():
    """Yield moto's S3 server on 127.0.0.1 (a stand-in for R2/S3) behind a gate the test can shut."""
    from tests.harness.s3 import S3Store

    store = S3Store()
    yield store
    store.stop()


@pytest.fixture(scope="session")
def releases_loaded(request, tmp_path_factory):
    """Return (data dir, CLI outputs by release id) of three releases with known edits (tests/harness/releases.py)
    loaded through the CLI once per run (read-only)."""
    import json

    from tests.harness.releases import load_releases

    def build(folder):
        (folder / "outputs.json").write_text(json.dumps(load_releases(folder, folder / "data")))

    tmp = built_once(request, tmp_path_factory, "three-releases", build)
    return tmp / "data", json.loads((tmp / "outputs.json").read_text())


@pytest.fixture(scope="session")
def releases_dir(releases_loaded):
    """Return a data dir holding three releases with known edits, loaded once per run (read-only)."""
    return releases_loaded[0]


@pytest.fixture(scope="session")
def releases_server(tmp_path_factory, releases_dir):
    """Return a gunicorn server on the three releases."""
    yield from _served(tmp_path_factory.mktemp("releases-live"), releases_dir)


@pytest.fixture(scope="session")
def releases_session(releases_server):
    """Return a requests.Session of a subscriber on releases_server."""
    return login_session(releases_server, create_user(releases_server, "revisions@example.com", "--comp"))


@pytest.fixture(scope="session")
def demo_releases_dir(request, tmp_path_factory):
    """Return a data dir holding the demo releases `ingest --demo` loads into an empty store (read-only)."""
    from data import pipeline

    tmp = built_once(request, tmp_path_factory, "demo-releases",
                     lambda folder: pipeline.ingest_demo({"BEANFLOWS_DATA_DIR": str(folder / "data")}))
    return tmp / "data"


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory, demo_releases_dir):
    """Return a gunicorn server on the demo releases."""
    yield from _served(tmp_path_factory.mktemp("demo-live"), demo_releases_dir)


@pytest.fixture(scope="session")
def demo_session(demo_server):
    """Return a requests.Session of a subscriber on demo_server."""
    return login_session(demo_server, create_user(demo_server, "demo-analyst@example.com", "--comp"))
