"""A page added as two files (layout and callbacks) is served, gated and cached with no other edit."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.harness.live import ROOT

HERE = Path(__file__).parent / "new_page"


def test_a_new_page_needs_only_its_two_files(tmp_path, real_data_dir, raw_by_code):
    # The app's pages folder plus the throwaway page; its callbacks module sits on the path.
    pages = tmp_path / "pages"
    pages.mkdir()
    for page in (ROOT / "pages").glob("*.py"):
        (pages / page.name).symlink_to(page)
    shutil.copy(HERE / "pages" / "throwaway.py", pages)
    shutil.copy(HERE / "throwaway_callbacks.py", tmp_path)
    # A fresh process: Dash's page registry is global, and other tests count the pages.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])}
    done = subprocess.run([sys.executable, str(HERE / "check.py"), str(tmp_path), str(real_data_dir)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    top3 = raw_by_code.xs(2020, level=1)[28].nlargest(3)
    assert seen["visitor_page"] == 302 and seen["visitor_chart"] == 401  # gated: the page declared USER
    assert seen["user_page"] == 200
    assert seen["chart"] == [200, 200, True]
    assert sorted(seen["bars"]) == sorted(top3.tolist())
    assert seen["builds"] == [2020]  # the second identical request came from the response cache
    assert seen["download"] == 403  # CSV downloads need a subscription, on any page
