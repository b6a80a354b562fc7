"""Check the configuration at start and fit the app for its place behind proxies."""
import logging
import secrets
from pathlib import Path

from werkzeug.middleware.proxy_fix import ProxyFix

import links
from data.commodities import UnknownCommodity
from data.commodities.site import check as check_site
from web import bounds, brand, limit_store, logs

log = logging.getLogger("beanflows.startup")

STRIPE_KEYS = ("STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_PRICE_ID")


class ConfigError(RuntimeError):
    """A configuration the app refuses to start with."""


def _dev_secret_key(instance_dir):
    """Return a secret key kept in instance/, creating it on first use."""
    path = Path(instance_dir) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _secret_key(app):
    """Require SECRET_KEY outside development; development keeps a generated one in instance/."""
    if app.config.get("SECRET_KEY"):
        return
    if not links.is_development(app.config):
        raise ConfigError(
            "SECRET_KEY is not set. Set it in the environment (for example "
            "`export SECRET_KEY=$(python -c 'import secrets; print(secrets.token_hex(32))')`), "
            "or set BEANFLOWS_ENV=development to use a key generated into instance/."
        )
    app.config["SECRET_KEY"] = _dev_secret_key(app.instance_path)


def _warnings(config):
    """Return what is half-configured: billing or mail that will not work as expected."""
    found = []
    stripe_set = [key for key in STRIPE_KEYS if config.get(key)]
    if stripe_set and len(stripe_set) < len(STRIPE_KEYS):
        missing = ", ".join(key for key in STRIPE_KEYS if not config.get(key))
        found.append(f"Stripe is half-configured: {missing} not set; billing stays off")
    if (config.get("MAIL_USERNAME") or config.get("MAIL_PASSWORD")) and not config.get("MAIL_SERVER"):
        found.append("MAIL_USERNAME/MAIL_PASSWORD set without MAIL_SERVER; emails are only logged")
    if bool(config.get("MAIL_USERNAME")) != bool(config.get("MAIL_PASSWORD")):
        found.append("only one of MAIL_USERNAME and MAIL_PASSWORD is set; SMTP login will fail")
    if not (config.get("BASE_URL") or config.get("SERVER_NAME")) and not links.is_development(config):
        found.append("BASE_URL is not set; links in emails point to 127.0.0.1 and only loopback Host headers are served")
    return found


def _site(app):
    """Refuse to start on a SITE_COMMODITIES naming a commodity that is not declared."""
    try:
        check_site(app.config)
    except UnknownCommodity as exc:  # a broken declaration raises its own DeclarationError, naming its field
        raise ConfigError(str(exc)) from None


def init_app(app):
    """Validate settings, log what is half-configured, trust PROXY_HOPS proxies and only trusted hosts."""
    logs.init_app(app)
    _secret_key(app)
    _site(app)
    brand.init_app(app)
    for warning in _warnings(app.config):
        log.warning(warning)
    hops = app.config["PROXY_HOPS"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0, x_port=0, x_prefix=0)
    if links.base_url(app.config).startswith("https://"):
        app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = True
    links.init_app(app)
    bounds.init_app(app)
    if app.config.get("RATELIMIT_STORAGE_URI") == "sqlalchemy://":
        app.config["RATELIMIT_STORAGE_URI"] = limit_store.storage_uri(app.config["SQLALCHEMY_DATABASE_URI"])
