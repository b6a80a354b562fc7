"""Ingest and serving-build figures: `flask ingest` of USDA's files end to end, against DuckDB's floor.

The floor is what DuckDB alone takes, in the same run, to read the same CSV and write it as Parquet. Each
`flask --app app ingest` is a whole process on a fresh data dir (the grains on top of the coffee file, so that
all ten commodities are loaded, about 690k values), timed with its peak RSS; the serving-file build is timed
on its own (`flask --app app export`). Runs alternate floor and ingest, and medians are printed.

Run: .venv/bin/python -m bench.ingest [--repeat 3]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from tests.harness.live import GRAINS_ZIP, RAW_ZIP, ROOT, SECRET

FLASK = str(Path(sys.executable).parent / "flask")
FLOOR = ("import sys, time, duckdb\n"
         "started = time.perf_counter()\n"
         "duckdb.sql(f\"COPY (SELECT * FROM read_csv('{sys.argv[1]}')) TO '{sys.argv[2]}' (FORMAT parquet)\")\n"
         "print(time.perf_counter() - started)")


def _run(args, env):
    """Run a process; return (wall seconds, peak RSS MB of it), raising on a failure."""
    started = time.perf_counter()
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    output = proc.stdout.read().decode()
    proc.stdout.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{output}")
    return seconds, usage.ru_maxrss / 1024


def _env(data_dir, users):
    """Return the whole environment of a CLI run on data_dir (the commands are named by absolute paths)."""
    return {"SECRET_KEY": SECRET, "BEANFLOWS_DATA_DIR": str(data_dir), "DATABASE_URL": f"sqlite:///{users}",
            "BEANFLOWS_ENV": "development"}


def _floor(csv_path, work):
    """Return DuckDB's own seconds to read csv_path and write it as Parquet (in a fresh process)."""
    out = subprocess.run([sys.executable, "-c", FLOOR, str(csv_path), str(work / "floor.parquet")],
                         check=True, capture_output=True, text=True)
    return float(out.stdout.strip().splitlines()[-1])


def run(repeat=3):
    """Print the figures: coffee alone, the grains on top of coffee, the serving build, and DuckDB's floor."""
    if not (RAW_ZIP.exists() and GRAINS_ZIP.exists()):
        print("\nIngest: ../shared/data's coffee and grains files are missing; no figures.")
        return
    work = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    try:
        with zipfile.ZipFile(GRAINS_ZIP) as archive:
            csv_path = Path(archive.extract(archive.namelist()[0], work))
        users = work / "users.db"
        subprocess.run([FLASK, "--app", "app", "db", "upgrade"], cwd=ROOT, env=_env(work / "none", users),
                       check=True, capture_output=True)
        figures = {"floor": [], "coffee": [], "grains": [], "export": []}
        for number in range(repeat):
            figures["floor"].append((_floor(csv_path, work), None))
            data_dir = work / f"data-{number}"
            figures["coffee"].append(_run([FLASK, "--app", "app", "ingest", str(RAW_ZIP)], _env(data_dir, users)))
            figures["grains"].append(_run([FLASK, "--app", "app", "ingest", str(GRAINS_ZIP)], _env(data_dir, users)))
            figures["export"].append(_run([FLASK, "--app", "app", "export"], _env(data_dir, users)))
            shutil.rmtree(data_dir)
        median = {name: statistics.median(s for s, _ in runs) for name, runs in figures.items()}
        peak = {name: max(m for _, m in runs) for name, runs in figures.items() if name != "floor"}
        print(f"\nIngest, whole `flask --app app` processes, median of {repeat} (peak RSS: the largest run)")
        print(f"  DuckDB floor: read {csv_path.name} ({csv_path.stat().st_size / 1e6:.1f} MB) and write Parquet: "
              f"{median['floor']:.2f} s")
        for name, label in (("coffee", "ingest psd_coffee_csv.zip (coffee alone, empty store)"),
                            ("grains", "ingest psd_grains_pulses_csv.zip (on coffee: all ten commodities)"),
                            ("export", "export (the serving-file build of all ten)")):
            print(f"  {label:<66} {median[name]:6.2f} s  {median[name] / median['floor']:5.1f}x floor  "
                  f"peak {peak[name]:5.0f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    run(parser.parse_args().repeat)


if __name__ == "__main__":
    main()
