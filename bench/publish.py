"""Publish to serving: the serving build after a load, with 1 and with 20 releases stored (each added to the file
served), beside a whole rebuild at 20 (what every build did before builds were incremental).

Run: .venv/bin/python -m bench.publish [--releases 20]
"""
import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.releases import _edited
from data.lake import psd as lake
from data.schema import SERVING_NAME
from data.serving.export import export
from data.sources.psd import read_source
from tests.harness.live import RAW_ZIP


def _timed(config):
    """Return the seconds one export takes."""
    started = time.perf_counter()
    export(config)
    return time.perf_counter() - started


def run(count=20):
    """Load count releases of the real coffee file (1% revised each), building the file after each; print figures."""
    base, kind = read_source(str(RAW_ZIP))
    rng = np.random.default_rng(7)
    seconds = {}
    with tempfile.TemporaryDirectory() as tmp:
        config = {"BEANFLOWS_DATA_DIR": str(Path(tmp) / "data")}
        for number in range(1, count + 1):
            values = base if number == 1 else _edited(base, rng)
            release_id = f"{2020 + (number - 1) // 12}-{(number - 1) % 12 + 1:02d}"
            lake.write(config, values, f"bench release {number}", kind, force=True, release_id=release_id)
            seconds[number] = _timed(config)
        (Path(config["BEANFLOWS_DATA_DIR"]) / SERVING_NAME).unlink()
        whole = _timed(config)
    print(f"\nPublish to serving (the real coffee file, each release revising 1% of its values): serving build "
          f"after the load")
    print(f"{'releases stored':>15}  {'build s':>8}  how")
    print(f"{1:>15}  {seconds[1]:>8.2f}  whole (no file yet)")
    print(f"{count:>15}  {seconds[count]:>8.2f}  release {count} added to the file served")
    print(f"{count:>15}  {whole:>8.2f}  whole (file missing or of an older version)")
    return seconds[1], seconds[count], whole


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=20)
    run(parser.parse_args().releases)
