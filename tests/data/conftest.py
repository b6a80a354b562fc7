"""Fixtures for pipeline tests: small data dirs loaded with demo data, and test-only commodity declarations."""
import re

import duckdb
import pytest

from data import commodities, pipeline
from data.sources import demo
from data.sources.psd import parse


def declared(slug):
    """Return a shipped commodity declaration."""
    return commodities.shipped().get(slug)


def demo_values(index=0, slug="coffee"):
    """Return (source name, parsed Arrow values) of a commodity's demo release index."""
    commodity = declared(slug)
    source = f"demo release {demo.release_id(commodity, index)}"
    return source, parse(source, demo.demo_csv(commodity, index), commodities=[commodity.code])


@pytest.fixture
def demo_dir(tmp_path):
    """Return a data dir of this test's own holding the first coffee demo release, stored as a load stores it."""
    data_dir = tmp_path / "data"
    source, values = demo_values(0)
    pipeline.store({"BEANFLOWS_DATA_DIR": str(data_dir)}, values, source, "demo")
    return data_dir


def read_serving(data_dir, sql):
    """Return a DataFrame of sql run on a data dir's serving file."""
    con = duckdb.connect(str(data_dir / "serving.duckdb"), read_only=True)
    try:
        return con.execute(sql).df()
    finally:
        con.close()


@pytest.fixture
def real_copy(tmp_path):
    """Return a data dir of this test's own with the real coffee file ingested once."""
    from tests.conftest import RAW_ZIP

    data_dir = tmp_path / "real"
    pipeline.ingest({"BEANFLOWS_DATA_DIR": str(data_dir)}, str(RAW_ZIP))
    return data_dir


def declare(folder, slug, code, like="coffee", name=None, description=None, edit=None):
    """Write a test-only declaration `slug` (PSD code `code`) into folder, copied from a shipped one; return folder.

    The copy keeps everything of `like` but its identity and its demo data; edit(text) may change more.
    """
    text = (commodities.SHIPPED / f"{like.replace('-', '_')}.toml").read_text()
    text = text.split("\n[demo]")[0].split("\n# Generated demo data")[0]
    text = re.sub(r'^slug = ".*"$', f'slug = "{slug}"', text, count=1, flags=re.M)
    text = re.sub(r'^name = ".*"$', f'name = "{name or slug.title()}"', text, count=1, flags=re.M)
    text = re.sub(r'^order = \d+$', "order = 99", text, count=1, flags=re.M)
    text = re.sub(r'^code = ".*"$', f'code = "{code}"', text, count=1, flags=re.M)
    text = re.sub(r'^description = ".*"$', f'description = "{description or slug.title()}"', text, count=1,
                  flags=re.M)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{slug.replace('-', '_')}.toml").write_text(edit(text) if edit else text)
    return folder


def with_declarations(config, *folders):
    """Return config naming the shipped declarations plus folders (COMMODITY_DECLARATIONS)."""
    return {**config, commodities.SETTING: [str(commodities.SHIPPED), *map(str, folders)]}
