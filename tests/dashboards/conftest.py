"""One server for the dashboards of several commodities: coffee, wheat, corn and a commodity only the tests declare."""
import re
import shutil

import pytest

from data import commodities
from tests.conftest import RAW_ZIP, create_user, login_session, migrate_database, start_server
from tests.harness.live import GRAINS_ZIP
from tests.harness.once import built_once

SERVED = ("coffee", "wheat", "corn")
# Oats from USDA's grains file under a slug and name no shipped code knows: it reaches every dashboard through its
# declaration alone.
TEST_ONLY = ("test-oats", "Test oats")


def declare_test_only(folder):
    """Write the test-only declaration into folder: oats' declaration under another slug and name."""
    text = (commodities.SHIPPED / "oats.toml").read_text()
    text = text.split("\n[demo]")[0].split("\n# Generated demo data")[0]
    text = re.sub(r'^slug = ".*"$', f'slug = "{TEST_ONLY[0]}"', text, count=1, flags=re.M)
    text = re.sub(r'^name = ".*"$', f'name = "{TEST_ONLY[1]}"', text, count=1, flags=re.M)
    text = re.sub(r'^order = \d+$', "order = 99", text, count=1, flags=re.M)
    (folder / "test_oats.toml").write_text(text)


def build(data_dir):
    """Declare coffee, wheat, corn and the test-only commodity in data_dir/declared and load USDA's two files."""
    from data import pipeline

    folder = data_dir / "declared"
    folder.mkdir()
    for slug in SERVED:
        shutil.copy(commodities.SHIPPED / f"{slug}.toml", folder)
    declare_test_only(folder)
    config = {"BEANFLOWS_DATA_DIR": str(data_dir), commodities.SETTING: [str(folder)]}
    for source in (RAW_ZIP, GRAINS_ZIP):
        pipeline.ingest(config, str(source))


@pytest.fixture(scope="session")
def commodities_data_dir(request, tmp_path_factory):
    """Return a data dir holding coffee, wheat, corn and the test-only commodity from USDA's files (read-only)."""
    return built_once(request, tmp_path_factory, "commodities-data", build)


@pytest.fixture(scope="session")
def commodities_server(tmp_path_factory, commodities_data_dir):
    """Return a gunicorn server declaring coffee, wheat, corn and the test-only commodity, shared by the tests."""
    database_url = f"sqlite:///{tmp_path_factory.mktemp('commodities-live') / 'users.db'}"
    migrate_database(database_url, commodities_data_dir)
    server = start_server({"DATABASE_URL": database_url, "BEANFLOWS_DATA_DIR": str(commodities_data_dir),
                           commodities.SETTING: str(commodities_data_dir / "declared")})
    yield server
    server.stop()


@pytest.fixture(scope="session")
def commodities_session(commodities_server):
    """Return a requests.Session of a subscriber (access granted by an admin) on commodities_server."""
    return login_session(commodities_server, create_user(commodities_server, "grains@example.com", "--comp"))
