"""`flask --app app migrate-catalog` copies a local catalog into the shared one, releases and tags alike."""
import uuid

import pytest

from app import create_app
from data.lake import enso as enso_store
from data.lake import iceberg
from data import pipeline
from data.lake.migrate import local_config
from tests.conftest import base_config
from tests.harness.live import ONI_TXT

pytestmark = [pytest.mark.postgres]


@pytest.fixture
def local_dir(tmp_path):
    """Return a data dir whose embedded catalog holds four demo releases (one re-issued) and an ONI release."""
    data_dir = tmp_path / "local"
    config = {"BEANFLOWS_DATA_DIR": str(data_dir)}
    pipeline.ingest_demo(config)
    pipeline.ingest_demo(config)
    pipeline.ingest_enso(config, str(ONI_TXT))
    return data_dir


def _runner(tmp_path, **settings):
    """Return a CLI runner of an app on the shared catalog settings."""
    config = {**base_config(tmp_path, tmp_path / "shared-host"), "REDIS_KEY_PREFIX": f"bf-{uuid.uuid4().hex[:8]}",
              **settings}
    return create_app(config).test_cli_runner(), config


def _sorted(arrow):
    """Return arrow's rows as sorted tuples."""
    return sorted(zip(*(arrow.column(name).to_pylist() for name in arrow.column_names)))


def test_migrate_copies_every_release_with_its_tag(tmp_path, local_dir, postgres_database, s3_store):
    runner, config = _runner(tmp_path, ICEBERG_CATALOG_URI=postgres_database(), **s3_store.warehouse())
    result = runner.invoke(args=["migrate-catalog", "--from-data-dir", str(local_dir)])
    assert result.exit_code == 0, result.output
    source_catalog = iceberg.open_catalog(local_config(config, local_dir))
    target_catalog = iceberg.open_catalog(config)
    for name in (iceberg.TABLE, enso_store.TABLE):
        source = iceberg.open_table(source_catalog, name=name)
        target = iceberg.open_table(target_catalog, name=name)
        assert f"Copied {len(iceberg.load_history(source))} loads of {name}" in result.output
        keep = ("release_id", "source", "source_kind", "loaded_at", "rows", "content_hash", "commodities")
        assert [{k: r[k] for k in keep} for r in iceberg.releases(target)] == \
            [{k: r[k] for k in keep} for r in iceberg.releases(source)]
        tags = {tag: ref.snapshot_id for tag, ref in source.refs().items() if ref.snapshot_ref_type == "tag"}
        target_tags = {tag: ref.snapshot_id for tag, ref in target.refs().items() if ref.snapshot_ref_type == "tag"}
        assert sorted(target_tags) == sorted(tags) and tags
        for tag, snapshot_id in tags.items():
            assert _sorted(iceberg.scan_at(target, target_tags[tag])) == _sorted(iceberg.scan_at(source, snapshot_id))
        assert _sorted(target.scan().to_arrow()) == _sorted(source.scan().to_arrow())
    # The shared catalog serves the same releases: a host builds its file from it.
    assert runner.invoke(args=["export"]).exit_code == 0
    listed = runner.invoke(args=["releases"])
    ids = [line.split()[0] for line in listed.output.splitlines() if line.startswith("  2")]
    assert ids == [r["release_id"] for r in iceberg.commodity_releases(iceberg.open_table(source_catalog))]
    assert "coffee (0711100)" in listed.output and "wheat (0410000)" in listed.output
    again = runner.invoke(args=["migrate-catalog", "--from-data-dir", str(local_dir)])
    assert again.exit_code != 0 and "already holds loads of psd.commodity_values; nothing was copied" in again.output


def test_migrate_refuses_without_a_shared_catalog_or_a_local_one(tmp_path, postgres_database, s3_store):
    runner, _ = _runner(tmp_path)
    result = runner.invoke(args=["migrate-catalog"])
    assert result.exit_code != 0 and "ICEBERG_CATALOG_URI is not set" in result.output
    runner, _ = _runner(tmp_path, ICEBERG_CATALOG_URI=postgres_database(), **s3_store.warehouse())
    result = runner.invoke(args=["migrate-catalog", "--from-data-dir", str(tmp_path / "nowhere")])
    assert result.exit_code != 0 and "no local catalog at" in result.output
