"""Fixtures for pipeline tests: small data dirs loaded with demo data."""
import duckdb
import pytest

from data import demo, pipeline
from data.ingest import parse


@pytest.fixture
def demo_dir(tmp_path):
    """Return a data dir of this test's own holding the first demo release, stored as a load stores it."""
    data_dir = tmp_path / "data"
    source = f"demo release {demo.release_id(0)}"
    pipeline.store({"BEANFLOWS_DATA_DIR": str(data_dir)}, parse(source, demo.demo_csv(0)), source, "demo")
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
