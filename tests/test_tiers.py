"""Every collected test has exactly one tier, and a unit test needs no real data, server or browser."""
import subprocess

import pytest

from tests import conftest
from tests.harness import tiers
from tests.harness.live import RAW_ZIP


def _tier_marks(item):
    """Return the tier marks an item carries, its own and its module's."""
    return sorted({m.name for m in item.iter_markers() if m.name in tiers.TIERS})


def test_every_collected_test_has_exactly_one_tier(request):
    items = request.session.items
    assert request.node in items
    wrong = {item.nodeid: _tier_marks(item) for item in items if len(_tier_marks(item)) != 1}
    assert not wrong, wrong


def test_no_unit_test_reads_real_data_or_needs_a_server_or_browser(request):
    unit = [item for item in request.session.items if _tier_marks(item) == ["unit"]]
    assert request.node in unit
    wrong = {}
    for item in unit:
        found = {tier: why for tier, why in tiers.reasons(item).items() if tier != "unit"}
        named = [name for name in item.fixturenames
                 if name in tiers.FIXTURE_TIERS or name.endswith(tuple(tiers.SUFFIX_TIERS))]
        if found or named:
            wrong[item.nodeid] = (found, named)
    assert not wrong, wrong


def _reads_the_file():
    return RAW_ZIP.read_bytes()


def _imports_the_file_inside():
    from tests.harness.live import ONI_TXT as oni

    return oni.read_text()


def _runs_a_process():
    return subprocess.run(["true"], check=False)


def _calls_a_helper_that_reads():
    return len(_reads_the_file())


@pytest.mark.parametrize("function, tier", [
    (_reads_the_file, "data"), (_imports_the_file_inside, "data"), (_runs_a_process, "server"),
    (_calls_a_helper_that_reads, "data"), (tiers._strongest, "unit"),
])
def test_code_says_its_tier(function, tier):
    assert tiers.code_tier(function) == tier


@pytest.mark.parametrize("fixture, tier", [
    (conftest.real_data_dir, "data"), (conftest.raw_frame, "data"), (conftest.live_server, "server"),
    (conftest.postgres_database, "server"), (conftest.redis_url, "server"), (conftest.browser, "browser"),
    (conftest.releases_loaded, "data"), (conftest.base_config, "unit"),
])
def test_shared_fixtures_say_their_tier(fixture, tier):
    assert tiers.code_tier(getattr(fixture, "__wrapped__", fixture)) == tier


def test_the_strongest_tier_wins():
    assert tiers._strongest(["data", "browser", "server", "unit"]) == "browser"
    assert tiers._strongest([]) == "unit"


def test_unit_guard_notes_real_data_and_processes_only_while_a_unit_test_runs():
    guard, shared = conftest._UNIT_GUARD, tiers.SHARED_DATA  # names only: this test opens nothing there
    saved = dict(guard)
    try:
        guard.update(item=None, used=[])
        conftest._unit_audit("open", (str(shared / "noaa_oni.ascii.txt"), "r", 0))
        assert guard["used"] == []
        guard.update(item="a unit test", used=[])
        conftest._unit_audit("open", (str(shared / "psd_coffee.csv"), "r", 0))
        conftest._unit_audit("subprocess.Popen", ("gunicorn", [], None, None))
        conftest._unit_audit("open", ("/tmp/small.csv", "r", 0))
        assert guard["used"] == [f"opened {shared / 'psd_coffee.csv'}", "started gunicorn"]
    finally:
        guard.update(saved)
