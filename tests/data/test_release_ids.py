"""One release-id check (data/as_of.py) for the CLIs, the API and the dashboards' release= field."""
import pytest

from data.serving import as_of
from tests.conftest import base_config


@pytest.mark.parametrize("text, ok", [("2024-06", True), ("1999-12", True), ("2024-13", False), ("2024-00", False),
                                      ("2024-6", False), ("2024-06\n", False), (" 2024-06", False), (None, False),
                                      (202406, False)])
def test_a_release_id_is_year_dash_month(text, ok):
    assert as_of.is_release_id(text) is ok


@pytest.mark.parametrize("args", [["ingest", "--demo", "--release", "2024-13"],
                                  ["alerts", "evaluate", "--release", "2024-13"]])
def test_both_clis_refuse_a_malformed_release_before_doing_anything(tmp_path, args):
    from app import create_app

    result = create_app(base_config(tmp_path, tmp_path / "data")).test_cli_runner().invoke(args=args)
    assert result.exit_code == 2 and "expected YYYY-MM" in result.output
    assert not (tmp_path / "data").exists()
