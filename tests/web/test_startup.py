"""Start-up checks: SECRET_KEY required outside development, half-configured services warned about, proxies trusted only as configured."""
import logging

import pytest

from tests.conftest import base_config


def _app(tmp_path, real_data_dir, **overrides):
    """Return a non-testing app on the real data (development and testing relax the checks)."""
    from app import create_app

    config = {**base_config(tmp_path, real_data_dir), "TESTING": False, **overrides}
    return create_app(config)


def test_no_secret_key_outside_development_refuses_to_start(tmp_path, real_data_dir, monkeypatch):
    from web.startup import ConfigError

    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("BEANFLOWS_ENV", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        _app(tmp_path, real_data_dir, SECRET_KEY=None)
    monkeypatch.setenv("BEANFLOWS_ENV", "development")
    app = _app(tmp_path, real_data_dir, SECRET_KEY=None)
    assert len(app.config["SECRET_KEY"]) == 64


def test_half_configured_stripe_and_mail_are_logged(tmp_path, real_data_dir, caplog):
    with caplog.at_level(logging.WARNING, logger="beanflows.startup"):
        _app(tmp_path, real_data_dir, STRIPE_SECRET_KEY="sk_test_x", MAIL_USERNAME="me", BASE_URL="https://b.example")
    assert "STRIPE_WEBHOOK_SECRET, STRIPE_PRICE_ID not set" in caplog.text
    assert "MAIL_USERNAME/MAIL_PASSWORD set without MAIL_SERVER" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="beanflows.startup"):
        _app(tmp_path, real_data_dir, BASE_URL="https://b.example")
    # Only start-up's own records: another test's app in this process may log from its threads meanwhile.
    assert [r.getMessage() for r in caplog.records if r.name == "beanflows.startup"] == []


@pytest.mark.parametrize("hops", [0, 1])
def test_forwarded_scheme_and_address_count_only_behind_configured_proxies(tmp_path, real_data_dir, hops):
    app = _app(tmp_path, real_data_dir, PROXY_HOPS=hops, BASE_URL="https://b.example")
    seen = {}

    def probe():
        from flask import request

        seen.update(scheme=request.scheme, addr=request.remote_addr)

    app.before_request_funcs[None].insert(0, probe)

    headers = {"Host": "b.example", "X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
    app.test_client().get("/login", headers=headers, environ_base={"REMOTE_ADDR": "10.0.0.2"})
    expected = ("https", "203.0.113.9") if hops else ("http", "10.0.0.2")
    assert (seen["scheme"], seen["addr"]) == expected


def test_apps_in_one_process_keep_their_own_rate_limit_store(tmp_path):
    """An app counting limits in its users database, then one on Redis, then another database: each its own."""
    from app import create_app
    from extensions import limiter

    def build(name, **overrides):
        config = {**base_config(tmp_path / name, tmp_path / name / "data"), **overrides}
        del config["RATELIMIT_STORAGE_URI"]  # the default: the users database without REDIS_URL
        return create_app(config), config["SQLALCHEMY_DATABASE_URI"]

    first, first_db = build("one")
    assert limiter.storage.url == first_db
    create_app({**base_config(tmp_path / "two", tmp_path / "two" / "data"),
                "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0"})  # refused an option meant for the first
    assert type(limiter.storage).__name__ == "RedisStorage"
    third, third_db = build("three")
    assert limiter.storage.url == third_db != first_db
