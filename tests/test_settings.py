"""Settings are declared once (config.py): read from the environment there only, documented from the declarations."""
import ast
import functools
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import config
import setting_kinds
from tests.conftest import base_config
from tests.harness.source import parse

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "node_modules", "tests", "instance", ".git"}
# The variable names users, scripts and checks rely on (DESIGN.md, docs, the Makefile, the test harness).
KEPT = {
    "SECRET_KEY", "BEANFLOWS_ENV", "BASE_URL", "TRUSTED_HOSTS", "PROXY_HOPS", "SECURE_COOKIES", "MAX_CONTENT_LENGTH",
    "PORT", "DATABASE_URL", "BEANFLOWS_DATA_DIR", "ICEBERG_CATALOG_URI", "ICEBERG_WAREHOUSE", "PSD_SOURCE_URL",
    "RELEASE_MAX_WORLD_CHANGE", "REDIS_URL", "REDIS_KEY_PREFIX", "CACHE_DEFAULT_TIMEOUT", "QUERY_CACHE_ENABLED",
    "LOGIN_RATE_LIMIT", "LOGIN_ADDRESS_RATE_LIMIT", "LOGIN_EMAIL_RATE_LIMIT", "SIGNUP_RATE_LIMIT",
    "PASSWORD_RESET_MAX_AGE", "MAIL_SERVER", "MAIL_PORT", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_FROM",
    "ALERTS_QUEUE", "ALERTS_RETRY_INTERVALS", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_PRICE_ID",
    "STRIPE_API_BASE", "PAST_DUE_GRACE_DAYS", "PLAN_NAME", "PLAN_PRICE", "PLAN_INTERVAL", "GUNICORN_BIND",
    "GUNICORN_WORKERS", "GUNICORN_THREADS", "GUNICORN_TIMEOUT", "GUNICORN_ACCESS_LOG",
}


@functools.cache
def modules():
    """Return the project's Python files outside config.py and the tests, with their ASTs, as (path, tree)."""
    found = []
    # Skipped folders are pruned, not walked: a checkout's .venv holds tens of thousands of files.
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = sorted(d for d in subfolders if d not in SKIP)
        found += [Path(folder) / name for name in sorted(files) if name.endswith(".py") and name != "config.py"]
    return tuple((path, parse(path)) for path in found)


def documented_table():
    """Return the settings table of docs/operations.md."""
    text = (ROOT / "docs" / "operations.md").read_text()
    return text.split("<!-- settings:start -->")[1].split("<!-- settings:end -->")[0].strip()


def test_operations_doc_lists_exactly_the_declared_settings():
    documented = re.findall(r"^\| `([A-Z0-9_]+)`", documented_table(), re.MULTILINE)
    assert sorted(documented) == sorted(s.env for s in config.SETTINGS)
    assert len(set(documented)) == len(documented)
    assert documented_table() == setting_kinds.settings_table(config.SETTINGS), "run `python -m config --markdown` into docs/operations.md"


def test_every_variable_name_in_use_is_kept():
    assert KEPT <= {s.env for s in config.SETTINGS}, KEPT - {s.env for s in config.SETTINGS}


def test_no_other_module_reads_the_environment():
    readers = []
    for path, tree in modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in {"environ", "getenv", "environb"}:
                readers.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            elif isinstance(node, ast.ImportFrom) and node.module == "os" and \
                    {a.name for a in node.names} & {"environ", "getenv"}:
                readers.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not readers, readers


def test_no_module_repeats_a_declared_default():
    keys = set(config.BY_KEY) | set(config.FIXED)
    repeated = []
    for path, tree in modules():
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in {"get", "setdefault"} and len(node.args) == 2
                    and isinstance(node.args[0], ast.Constant) and node.args[0].value in keys):
                repeated.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.args[0].value}")
    assert not repeated, repeated


def test_values_are_read_with_their_types():
    values = config.read({"PROXY_HOPS": "1", "SECURE_COOKIES": "yes", "ALERTS_RETRY_INTERVALS": "1, 2",
                          "REDIS_KEY_PREFIX": "blue", "TRUSTED_HOSTS": "a.example, b.example", "PORT": "9000",
                          "GUNICORN_ACCESS_LOG": "", "QUERY_CACHE_ENABLED": "off", "MAIL_PORT": " "},
                         instance_dir=Path("/srv/x"))
    assert values["PROXY_HOPS"] == 1 and values["SESSION_COOKIE_SECURE"] is True
    assert values["ALERTS_RETRY_INTERVALS"] == [1, 2] and values["ALERTS_QUEUE"] == "blue-alerts"
    assert values["TRUSTED_HOSTS"] == ["a.example", "b.example"] and values["GUNICORN_BIND"] == "127.0.0.1:9000"
    assert values["GUNICORN_ACCESS_LOG"] is None and values["QUERY_CACHE_ENABLED"] is False
    assert values["MAIL_PORT"] == 587  # blank counts as unset
    assert values["SQLALCHEMY_DATABASE_URI"] == "sqlite:////srv/x/beanflows.db"
    assert values["BEANFLOWS_DATA_DIR"] == "/srv/x/data"


@pytest.mark.parametrize("name, bad", [
    ("PROXY_HOPS", "two"), ("PROXY_HOPS", "-1"), ("MAIL_PORT", "70000"), ("SECURE_COOKIES", "maybe"),
    ("LOGIN_RATE_LIMIT", "lots per minute"), ("ALERTS_RETRY_INTERVALS", "30,soon"),
    ("RELEASE_MAX_WORLD_CHANGE", "nan"), ("MAX_CONTENT_LENGTH", "0"),
])
def test_a_bad_value_stops_start_up_with_the_variable_name(tmp_path, monkeypatch, name, bad):
    from app import create_app

    monkeypatch.setenv(name, bad)
    with pytest.raises(config.SettingError, match=rf"^{name}="):
        create_app(base_config(tmp_path, tmp_path / "data"))


def test_the_environment_reaches_the_app(tmp_path, monkeypatch):
    from app import create_app

    for name, text in {"PAST_DUE_GRACE_DAYS": "3", "MAIL_PORT": "2525", "REDIS_KEY_PREFIX": "blue",
                       "PLAN_PRICE": "$9"}.items():
        monkeypatch.setenv(name, text)
    app = create_app(base_config(tmp_path, tmp_path / "data"))
    assert app.config["PAST_DUE_GRACE_DAYS"] == 3 and app.config["MAIL_PORT"] == 2525
    assert app.config["ALERTS_QUEUE"] == "blue-alerts" and app.config["RATELIMIT_KEY_PREFIX"] == "blue:limit"
    assert app.config["PLAN"]["price"] == "$9"


def gunicorn(tmp_path, *args, **env):
    """Run gunicorn with the project's settings file and env; return the finished process."""
    environ = {**os.environ, "SECRET_KEY": "x" * 64, "BEANFLOWS_DATA_DIR": str(tmp_path),
               "DATABASE_URL": f"sqlite:///{tmp_path / 'users.db'}", **env}
    return subprocess.run([str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py", *args,
                           "app:create_app()"], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=120)


def test_gunicorn_reads_the_declared_settings(tmp_path):
    done = gunicorn(tmp_path, "--print-config", GUNICORN_WORKERS="3", GUNICORN_THREADS="1", PORT="9123")
    assert done.returncode == 0, done.stderr
    printed = dict(re.findall(r"^(\w+)\s+= (.*)$", done.stdout, re.MULTILINE))
    assert printed["workers"] == "3" and printed["worker_class"] == "sync" and printed["bind"] == "['127.0.0.1:9123']"


def test_gunicorn_refuses_a_bad_value_naming_it(tmp_path):
    done = gunicorn(tmp_path, "--check-config", GUNICORN_THREADS="0")
    assert done.returncode != 0 and "GUNICORN_THREADS='0'" in done.stderr


def test_the_readme_summary_names_only_declared_variables():
    readme = (ROOT / "README.md").read_text()
    summary = readme.split("## Settings")[1].split("\n## ")[0]
    named = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", summary))
    assert named and named <= {s.env for s in config.SETTINGS}, named - {s.env for s in config.SETTINGS}
    assert any(s.env.startswith("GUNICORN_") for s in config.SETTINGS) and "`GUNICORN_*`" in summary
