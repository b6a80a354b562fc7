"""Absolute URLs from configured, trusted settings, never from the request's Host."""
from urllib.parse import urlsplit

from flask import current_app

from config import value

LOOPBACK = ["127.0.0.1", "localhost"]


def is_development(config):
    """Return True for a debug, testing or explicitly development server."""
    return bool(config.get("DEBUG") or config.get("TESTING")
                or (config.get("BEANFLOWS_ENV") or "").strip().lower() in {"development", "dev"})


def base_url(config):
    """Return the site's root URL: BASE_URL, else SERVER_NAME with the preferred scheme, else loopback."""
    if config.get("BASE_URL"):
        return config["BASE_URL"].rstrip("/")
    if config.get("SERVER_NAME"):
        root = (config.get("APPLICATION_ROOT") or "/").rstrip("/")
        return f"{config.get('PREFERRED_URL_SCHEME') or 'http'}://{config['SERVER_NAME']}{root}"
    return f"http://127.0.0.1:{value(config, 'PORT')}"


def trusted_hosts(config):
    """Return the host names requests may carry: TRUSTED_HOSTS, else the base URL's host (+ loopback)."""
    if config.get("TRUSTED_HOSTS"):
        return list(config["TRUSTED_HOSTS"])
    host = urlsplit(base_url(config)).hostname
    configured = bool(config.get("BASE_URL") or config.get("SERVER_NAME"))
    extra = LOOPBACK if is_development(config) or not configured else []
    return list(dict.fromkeys([host, *extra]))


def external_url(endpoint, **values):
    """Return the absolute URL of endpoint on the configured site."""
    parts = urlsplit(base_url(current_app.config))
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme)
    return adapter.build(endpoint, values, force_external=True)


def init_app(app):
    """Refuse requests whose Host is not one of the trusted hosts (Flask answers 400)."""
    app.config["TRUSTED_HOSTS"] = trusted_hosts(app.config)
