"""pyiceberg's private writer is touched in one adapter, pinned exactly; a moved release tag is never absent."""
import importlib.metadata
import inspect
import re
import threading
import uuid
from pathlib import Path

import pyarrow as pa
from pyiceberg.catalog.sql import SqlCatalogBaseTable
from pyiceberg.io import pyarrow as pyiceberg_arrow

from data.lake import iceberg, pyiceberg_files

ROOT = Path(__file__).resolve().parents[2]
VALUES = pa.table({"commodity_code": ["0410000"] * 3, "commodity": ["Wheat"] * 3, "country_code": ["USA"] * 3,
                   "country": ["United States"] * 3, "market_year": pa.array([2022, 2023, 2024], pa.int32()),
                   "attribute_id": pa.array([28, 28, 28], pa.int32()), "attribute": ["Production"] * 3,
                   "unit": ["(1000 MT)"] * 3, "value": [44900.0, 49095.0, 53851.0]},
                  schema=pa.schema([pa.field(f.name, f.type, nullable=False) for f in pa.schema([
                      ("commodity_code", pa.string()), ("commodity", pa.string()), ("country_code", pa.string()),
                      ("country", pa.string()), ("market_year", pa.int32()), ("attribute_id", pa.int32()),
                      ("attribute", pa.string()), ("unit", pa.string()), ("value", pa.float64())])]))


def _table(tmp_path):
    """Return a fresh values table in a SQLite catalog under tmp_path."""
    return iceberg.open_table(iceberg.open_catalog({"BEANFLOWS_DATA_DIR": str(tmp_path)}), create=True)


def test_pyiceberg_is_pinned_exactly_and_its_private_writer_is_touched_only_in_the_adapter():
    pin = re.search(r'"pyiceberg\[[^\]]*\]==([0-9.]+)"', (ROOT / "pyproject.toml").read_text())
    assert pin and pin.group(1) == importlib.metadata.version("pyiceberg")
    users = [str(p.relative_to(ROOT)) for folder in ("data", "web", "ui", "callbacks", "alerts", "bench")
             for p in (ROOT / folder).rglob("*.py") if "_dataframe_to_data_files" in p.read_text()]
    assert users == ["data/lake/pyiceberg_files.py"]


def test_the_private_writer_takes_what_the_adapter_passes():
    parameters = inspect.signature(pyiceberg_arrow._dataframe_to_data_files).parameters
    assert {"table_metadata", "df", "io", "write_uuid", "counter"} <= set(parameters)


def test_the_adapter_writes_data_files_a_snapshot_can_add(tmp_path):
    table = _table(tmp_path)
    files = list(pyiceberg_files.data_files(table.metadata, VALUES, table.io, uuid.uuid4()))
    assert sum(f.record_count for f in files) == 3 and all(Path(f.file_path.removeprefix("file://")).exists()
                                                           for f in files)
    snapshot_id = iceberg.write_snapshot(table, VALUES, {"beanflows.source": "test"})
    assert iceberg.scan_at(table, snapshot_id).sort_by("market_year")["value"].to_pylist() == [44900.0, 49095.0,
                                                                                             53851.0]


def test_a_moved_tag_is_never_absent_to_a_reader(tmp_path):
    table = _table(tmp_path)
    first = iceberg.write_snapshot(table, VALUES, {"beanflows.source": "first"})
    second = iceberg.write_snapshot(table, VALUES.set_column(8, "value", pa.array([1.0, 2.0, 3.0])),
                                    {"beanflows.source": "second"})
    iceberg.set_tags(table, {"0410000-2025-11": first})
    catalog = iceberg.open_catalog({"BEANFLOWS_DATA_DIR": str(tmp_path)})
    seen, missing, done = set(), [], threading.Event()

    def read():
        while not done.is_set():
            refs = catalog.load_table(iceberg.TABLE).refs()
            if "0410000-2025-11" in refs:
                seen.add(refs["0410000-2025-11"].snapshot_id)
            else:
                missing.append(len(seen))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for move in range(30):
            iceberg.set_tags(table, {"0410000-2025-11": second if move % 2 == 0 else first})
    finally:
        done.set()
        reader.join()
    assert missing == [] and seen == {first, second}
    assert table.refresh().refs()["0410000-2025-11"].snapshot_id == first


def test_a_catalog_another_process_creates_between_check_and_create_still_opens(tmp_path, monkeypatch):
    config = {"BEANFLOWS_DATA_DIR": str(tmp_path)}
    create_all = SqlCatalogBaseTable.metadata.create_all
    raced = []

    def other_process_first(*args, **kwargs):
        if not raced:  # this loader found no tables; another creates them before this one's CREATE TABLE runs
            raced.append(True)
            create_all(*args, **kwargs)
            return create_all(*args, **{**kwargs, "checkfirst": False})
        return create_all(*args, **kwargs)

    monkeypatch.setattr(SqlCatalogBaseTable.metadata, "create_all", other_process_first)
    assert iceberg.open_table(iceberg.open_catalog(config), create=True) is not None
    assert raced
