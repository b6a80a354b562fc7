"""Store a parsed PSD file in Iceberg: one release per commodity whose content changed, in one snapshot.

Each commodity's release is named by the latest revision month in its rows (else `--release`, else the load
month) and tagged `<PSD code>-<release id>`. A commodity whose content equals its last load adds nothing; a
load that shrinks a commodity against its last release is refused unless forced (data/lake/guards.py).
"""
import hashlib
import json
from datetime import datetime, timezone

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from config import value
from data.lake import guards, iceberg
from data.sources.psd import facts

KEY = ["commodity_code", "country_code", "market_year", "attribute_id"]


def tag_name(code, release_id):
    """Return the Iceberg tag of a commodity's release."""
    return f"{code}-{release_id}"


def codes_of(arrow):
    """Return the sorted commodity codes in arrow."""
    return sorted(pc.unique(arrow["commodity_code"]).to_pylist())


def content_hash(arrow):
    """Return the SHA-256 of arrow's rows sorted by key (how versions before per-commodity releases compared)."""
    rows = arrow.replace_schema_metadata(None).sort_by([(k, "ascending") for k in KEY]).combine_chunks()
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, rows.schema) as writer:
        writer.write_table(rows)
    return hashlib.sha256(sink.getvalue().to_pybytes()).hexdigest()


def digests(arrow):
    """Return {commodity code: a digest of its rows}, independent of row order and file layout.

    The XOR of every row's 64-bit hash (DuckDB's): any changed, added or dropped value changes it (a key
    appears once: parse refuses duplicates).
    """
    with duckdb.connect(":memory:") as con:
        con.register("loaded", arrow.replace_schema_metadata(None))
        rows = con.execute("SELECT commodity_code, bit_xor(hash(country_code, market_year, attribute_id, value, "
                           "commodity, country, attribute, unit)) FROM loaded GROUP BY 1").fetchall()
    return {code: f"xor64:{value:016x}" for code, value in rows}


def _same(stored, digest, rows):
    """Return True when a stored digest is digest, or, stored by an older version (SHA-256), rows' content hash."""
    return stored == digest or (len(stored or "") == 64 and stored == content_hash(rows))


def split(arrow):
    """Return {commodity code: its rows} of arrow."""
    arrow = arrow.replace_schema_metadata(None)
    return {code: arrow.filter(pc.equal(arrow["commodity_code"], code)) for code in codes_of(arrow)}


def _replaces_demo(latest, code, kind):
    """Return True when a real load replaces a commodity's demo data: generated figures are no baseline."""
    return kind != "demo" and code in latest and latest[code]["source_kind"] == "demo"


def baseline(table, stored, code, release_id):
    """Return the rows a new release of code must not shrink against: the release before it in release order.

    In order, that is the last release; a late older release is compared with the one just below it, and one
    older than every stored release has none (an earlier release may well lack later market years).
    """
    below = [r for r in stored if r["commodity_code"] == code and r["release_id"] <= release_id]
    return iceberg.scan_at(table, below[-1]["snapshot_id"], [code]) if below else None


def write(config, arrow, source, kind, force=False, release_id=None):
    """Write the commodities of arrow whose content changed as their new releases; return the load's summary."""
    table = iceberg.open_table(iceberg.open_catalog(config), create=True)
    noted = facts(arrow)
    parts = split(arrow)
    latest = iceberg.latest_loads(table)
    stored = iceberg.commodity_releases(table)
    loaded_at = datetime.now(timezone.utc)
    changed, results = {}, []
    hashes = digests(arrow)
    for code, rows in parts.items():
        digest = hashes[code]
        last = latest.get(code)
        named = release_id or noted["releases"].get(code) or loaded_at.strftime("%Y-%m")
        same = [r for r in stored if (r["commodity_code"], r["release_id"]) == (code, named)]
        result = {"commodity_code": code, "rows": rows.num_rows, "new": False}
        if same and _same(same[0]["content_hash"], digest, rows):  # a release stored before, loaded again late
            results.append({**result, "release_id": named, "snapshot_id": None})
            continue
        if last is not None and _same(last["hashes"].get(code), digest, rows):
            results.append({**result, "release_id": last["releases"][code], "snapshot_id": None})
            continue
        changed[code] = (rows, digest)
        results.append({**result, "new": True, "release_id": named})
    guarded = [code for code in changed if not force and code in latest and not _replaces_demo(latest, code, kind)]
    named = {r["commodity_code"]: r["release_id"] for r in results if r["new"]}
    baselines = [baseline(table, stored, code, named[code]) for code in guarded]
    baselines = [rows for rows in baselines if rows is not None]
    if baselines:
        guards.check(pa.concat_tables(baselines), pa.concat_tables([changed[code][0] for code in guarded]),
                     float(value(config, "RELEASE_MAX_WORLD_CHANGE")))
    summary = {"kind": kind, "source": str(source), "commodities": results, "skipped": noted["skipped"],
               "unknown_country_codes": noted["unknown_country_codes"],
               "unmapped_attributes": noted["unmapped_attributes"], "identity_breaks": noted["identity_breaks"]}
    if not changed:
        return {**summary, "new": False, "snapshot_id": None}
    releases = {r["commodity_code"]: r["release_id"] for r in results if r["new"]}
    props = _properties(source, kind, loaded_at, changed, releases, noted)
    snapshot_id = iceberg.write_snapshot(table, pa.concat_tables([rows for rows, _ in changed.values()]), props)
    iceberg.set_tags(table, {tag_name(code, release): snapshot_id for code, release in releases.items()})
    for result in results:
        result["snapshot_id"] = snapshot_id if result["new"] else None
    return {**summary, "new": True, "snapshot_id": snapshot_id}


def _properties(source, kind, loaded_at, changed, releases, noted):
    """Return the snapshot properties of a load: who, when, and per commodity its release, hash and rows."""
    codes = sorted(changed)
    unknown = ",".join(f"{c} ({n})" for c, n in noted["unknown_country_codes"])
    unmapped = ",".join(f"{a} ({n})" for code, a, n in noted["unmapped_attributes"] if code in changed)
    props = {"source": str(source), "source_kind": kind, "loaded_at": loaded_at.isoformat(timespec="seconds"),
             "rows": str(sum(changed[c][0].num_rows for c in codes)), "commodities": ",".join(codes),
             "release_id": releases[codes[0]] if len(set(releases.values())) == 1 else "",
             "releases": json.dumps(releases, sort_keys=True),
             "hashes": json.dumps({c: changed[c][1] for c in codes}, sort_keys=True),
             "rows_by": json.dumps({c: changed[c][0].num_rows for c in codes}, sort_keys=True),
             "unknown_country_codes": unknown, "unmapped_attributes": unmapped}
    return {f"{iceberg.PROP}{key}": val for key, val in props.items()}
