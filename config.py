"""Every setting, declared once: its environment variable, type, default and meaning.

No other module reads the environment: the app gets these values through `Config().as_dict()` (overridden by
create_app's `config`), gunicorn through `read()` in gunicorn.conf.py. A value that cannot be read stops
start-up with the variable's name. `python -m config --markdown` prints the table in docs/operations.md.
"""
import multiprocessing
import os
import sys
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from setting_kinds import (ACCESS_LOG, COUNT, FLAG, FRACTION, NAMES, OIDC_PROVIDERS, PORT_NUMBER, POSITIVE, RATE_LIMITS,
                           SECONDS_LIST, SECRET, TEXT, URL, Kind, settings_table)

ROOT = Path(__file__).resolve().parent
# Read by prometheus_client itself, so not a declared setting: gunicorn.conf.py sets it per run.
METRICS_DIR_ENV = "PROMETHEUS_MULTIPROC_DIR"
INSTANCE_DIR = ROOT / "instance"


class SettingError(RuntimeError):
    """An environment variable holds a value its setting cannot read."""


@dataclass(frozen=True)
class Derived:
    """A default computed from settings read before it: how the docs say it, and the function."""

    text: str
    value: object  # fn(values, instance_dir) -> default


@dataclass(frozen=True)
class Setting:
    """One setting: app.config key, environment variable, kind, default (None: unset) and meaning."""

    key: str
    env: str
    kind: Kind
    default: object
    meaning: str

    def default_for(self, values, instance_dir):
        """Return the default, computing a derived one from the values read so far."""
        return self.default.value(values, instance_dir) if isinstance(self.default, Derived) else self.default

    def default_text(self):
        """Return the default as the docs show it."""
        if isinstance(self.default, Derived):
            return self.default.text
        if self.default is None:
            return "unset"
        if isinstance(self.default, list):
            return f"`{','.join(str(v) for v in self.default)}`"
        if isinstance(self.default, bool):
            return f"`{int(self.default)}`"
        return f"`{self.default}`"


def S(key, kind, default, meaning, env=None):
    """Return a Setting whose environment variable is its key unless env names another."""
    return Setting(key, env or key, kind, default, meaning)


SETTINGS = (
    # Secrets and the site's address.
    S("SECRET_KEY", SECRET, None,
      "Signs sessions and links; required outside development (which keeps one in instance/)."),
    S("BEANFLOWS_ENV", TEXT, None,
      "`development` (as `make run` sets it) relaxes the start-up checks and trusts loopback."),
    S("BASE_URL", URL, None, "The site's public root URL: emailed links and Stripe return URLs are built on it."),
    S("TRUSTED_HOSTS", NAMES,
      Derived("`BASE_URL`'s host (+ loopback in development or without `BASE_URL`)", lambda v, d: None),
      "Host names served; any other Host header gets 400."),
    S("PROXY_HOPS", COUNT, 0, "Proxies in front whose X-Forwarded-For/-Proto are trusted."),
    S("SESSION_COOKIE_SECURE", FLAG, False, "Cookies only over HTTPS (always on when `BASE_URL` is https).",
      env="SECURE_COOKIES"),
    S("MAX_CONTENT_LENGTH", POSITIVE, 4 * 1024 * 1024, "Largest request body in bytes (4 MiB)."),
    S("PORT", PORT_NUMBER, 8050, "Port gunicorn binds on 127.0.0.1, and the loopback link base without `BASE_URL`."),
    # Storage.
    S("SQLALCHEMY_DATABASE_URI", URL, Derived("SQLite file `instance/beanflows.db`",
                                              lambda v, d: f"sqlite:///{d / 'beanflows.db'}"),
      "The users database (SQLAlchemy URL; PostgreSQL for several hosts).", env="DATABASE_URL"),
    S("BEANFLOWS_DATA_DIR", TEXT, Derived("`instance/data`", lambda v, d: str(d / "data")),
      "Directory of the Iceberg catalog, warehouse and `serving.duckdb`."),
    S("ICEBERG_CATALOG_URI", URL, Derived("SQLite catalog in `BEANFLOWS_DATA_DIR`", lambda v, d: None),
      "pyiceberg SQL catalog URI shared by every host (e.g. PostgreSQL)."),
    S("ICEBERG_WAREHOUSE", URL, Derived("`warehouse/` in `BEANFLOWS_DATA_DIR`", lambda v, d: None),
      "Iceberg warehouse location (e.g. an `s3://` bucket on S3 or R2)."),
    S("ICEBERG_S3_ENDPOINT", URL, None,
      "S3 API address of an `s3://` warehouse (R2: `https://<account>.r2.cloudflarestorage.com`); unset: AWS S3."),
    S("ICEBERG_S3_REGION", TEXT, None, "Region of the warehouse bucket (`auto` on R2)."),
    S("ICEBERG_S3_ACCESS_KEY_ID", TEXT, None,
      "Access key of the warehouse bucket; unset: the S3 client's own chain (environment, instance role)."),
    S("ICEBERG_S3_SECRET_ACCESS_KEY", SECRET, None, "Secret key paired with `ICEBERG_S3_ACCESS_KEY_ID`."),
    S("ICEBERG_S3_CONNECT_TIMEOUT", FRACTION, 5.0,
      "Seconds to connect to the warehouse bucket; each S3 request is tried twice, so a bucket that never "
      "answers fails a command in about 2 x (connect + read) seconds (30 by default)."),
    S("ICEBERG_S3_READ_TIMEOUT", FRACTION, 10.0,
      "Seconds the warehouse bucket may stay silent during one S3 request before it counts as failed."),
    S("RELEASE_POLL_SECONDS", FRACTION, 30.0,
      "With a shared catalog (`ICEBERG_CATALOG_URI`): seconds between a host's checks for a newer release "
      "(a Redis notice wakes it at once)."),
    S("PSD_SOURCE_URL", URL, "https://apps.fas.usda.gov/psdonline/downloads/psd_coffee_csv.zip",
      "USDA file `ingest` and `refresh` load by default."),
    S("ENSO_SOURCE_URL", URL, "https://www.cpc.ncep.noaa.gov/data/indices/oni.ascii.txt",
      "NOAA's Oceanic Niño Index file `enso ingest` and `refresh` load by default."),
    S("PRICES_URL", URL, None,
      "World Bank Pink Sheet workbook (CMO-Historical-Data-Monthly.xlsx) `prices ingest` loads by default and "
      "`refresh` fetches when it changed; unset: prices are loaded only from a file named to `prices ingest`."),
    S("RELEASE_MAX_WORLD_CHANGE", FRACTION, 0.25,
      "Largest move of a world total against the last release a load may make without `--force` (fraction)."),
    S("COMMODITY_DECLARATIONS", NAMES, Derived("the shipped `commodities/` folder", lambda v, d: None),
      "Folders of commodity declarations (TOML) to load instead of the shipped one, comma-separated (name "
      "`commodities/` too to add to it); checked at start."),
    S("SITE_COMMODITIES", NAMES, Derived("every declared commodity, in declaration order", lambda v, d: None),
      "Slugs of the commodities this site serves, comma-separated; the first is the default (what a URL naming "
      "none means). An unknown slug stops start-up naming it."),
    S("SITE_NAME", TEXT, "beanflows", "The site's brand: navbar, page titles, landing page, emails' subjects."),
    # Operations metrics and usage analytics (web/metrics.py, auth/usage.py).
    S("METRICS_TOKEN", SECRET, None,
      "`/metrics` answers only with `Authorization: Bearer <METRICS_TOKEN>`; unset, it is off (404)."),
    S("USAGE_FLUSH_SIZE", POSITIVE, 100, "Usage events a worker buffers before writing them in one batch."),
    S("USAGE_FLUSH_SECONDS", FRACTION, 10.0,
      "Oldest age (seconds) of a buffered usage event before the batch is written."),
    S("USAGE_RETENTION_DAYS", POSITIVE, 395,
      "Days usage events are kept; `flask --app app usage purge` deletes older ones."),
    # Cache, Redis, rate limits.
    S("REDIS_URL", URL, None, "Redis shared by hosts: query cache, rate limits, the alerts job queue."),
    S("REDIS_KEY_PREFIX", TEXT, "beanflows",
      "Prefix of every Redis key and of the default alerts queue, one per deployment."),
    S("CACHE_DEFAULT_TIMEOUT", COUNT, 3600, "Seconds a cached query or chart answer lives."),
    S("QUERY_CACHE_ENABLED", FLAG, True, "Cache query results and chart answers."),
    S("LOGIN_RATE_LIMIT", RATE_LIMITS, "5 per minute;20 per hour", "Login attempts per email from one address."),
    S("LOGIN_ADDRESS_RATE_LIMIT", RATE_LIMITS, "20 per minute;100 per hour", "Failed logins per address, any email."),
    S("LOGIN_EMAIL_RATE_LIMIT", RATE_LIMITS, "50 per hour", "Failed logins per email, from every address."),
    S("SIGNUP_RATE_LIMIT", RATE_LIMITS, "5 per hour", "Signups per address whose form passes its checks."),
    # Sign-in beyond the password (docs/security.md#sign-in).
    S("OIDC_PROVIDERS", OIDC_PROVIDERS, Derived("none: email and password only", lambda v, d: []),
      "OpenID Connect providers offered on /login: a JSON list of {name, issuer, client_id, client_secret}; each "
      "provider's redirect URI is `BASE_URL/auth/oidc/<name>/callback`."),
    S("REQUIRE_ADMIN_MFA", FLAG, Derived("`1` outside development, `0` in development",
                                         lambda v, d: (v["BEANFLOWS_ENV"] or "").strip().lower()
                                         not in ("development", "dev")),
      "Site admins must hold a second factor: until they add one they open only /account/mfa."),
    # Mail.
    S("PASSWORD_RESET_MAX_AGE", POSITIVE, 3600, "Seconds a password-reset link stays valid."),
    S("MAIL_SERVER", TEXT, None, "SMTP host; without it emails are written to the log."),
    S("MAIL_PORT", PORT_NUMBER, 587, "SMTP port (STARTTLS when offered; SSL on 465)."),
    S("MAIL_USERNAME", TEXT, None, "SMTP login."),
    S("MAIL_PASSWORD", SECRET, None, "SMTP password."),
    S("MAIL_FROM", TEXT, "beanflows <no-reply@beanflows.local>", "Sender of every email."),
    S("ALERTS_QUEUE", TEXT, Derived("`$REDIS_KEY_PREFIX-alerts`", lambda v, d: f"{v['REDIS_KEY_PREFIX']}-alerts"),
      "RQ queue of alert evaluation and email jobs."),
    S("ALERTS_RETRY_INTERVALS", SECONDS_LIST, [30, 120, 600], "Seconds before each retry of a failed email."),
    # Billing.
    S("STRIPE_SECRET_KEY", SECRET, None, "Stripe API key; without it billing is off and admins grant access."),
    S("STRIPE_WEBHOOK_SECRET", SECRET, None, "Signing secret of the `/billing/webhook` endpoint."),
    S("STRIPE_PRICE_ID", TEXT, None, "The recurring Stripe price sold."),
    S("STRIPE_TEAM_PRICE_ID", TEXT, None, "The recurring per-seat Stripe price of the Team plan (quantity = seats)."),
    S("TEAM_PLAN_PRICE", TEXT, "$39", "Per-seat price on the Team pricing card."),
    S("STRIPE_API_BASE", URL, None, "Stripe API address; only to point the SDK at the tests' local fake."),
    S("PAST_DUE_GRACE_DAYS", COUNT, 7, "Days a past-due subscription keeps access."),
    S("TEAM_OVER_SEATS_GRACE_DAYS", COUNT, 7,
      "Days a team whose paid seats fell below its members keeps every member; then only as many as are paid."),
    S("INVITATION_RESEND_RATE_LIMIT", RATE_LIMITS, "1 per minute;10 per day", "Resends of one team invitation."),
    S("INVITATION_ACCEPT_RATE_LIMIT", RATE_LIMITS, "10 per minute;30 per hour",
      "Tries to accept one team invitation (its own count, not the login limit of the address)."),
    S("TEAM_MAIL_RETRY_SECONDS", SECONDS_LIST, [30, 60, 120, 300, 600, 900],
      "Seconds before each new try of a team email the mail server refused (the last repeats for 7 days)."),
    S("PLAN_NAME", TEXT, "Analyst", "Plan name on the pricing card."),
    S("PLAN_PRICE", TEXT, "$49", "Price on the pricing card."),
    S("PLAN_INTERVAL", TEXT, "month", "Billing interval on the pricing card."),
    # gunicorn (read by gunicorn.conf.py).
    S("GUNICORN_BIND", TEXT, Derived("`127.0.0.1:$PORT`", lambda v, d: f"127.0.0.1:{v['PORT']}"),
      "Address gunicorn binds."),
    S("GUNICORN_WORKERS", POSITIVE, Derived("the CPU count", lambda v, d: multiprocessing.cpu_count()),
      "Worker processes."),
    S("GUNICORN_THREADS", POSITIVE, 4, "Threads per worker (1: sync workers)."),
    S("GUNICORN_TIMEOUT", POSITIVE, 60, "Seconds before a silent worker is restarted."),
    S("GUNICORN_GRACEFUL_TIMEOUT", POSITIVE, 20, "Seconds a worker gets to finish on restart."),
    S("GUNICORN_LIMIT_REQUEST_LINE", COUNT, 8190,
      "Longest request line gunicorn reads (the app refuses long query strings first)."),
    S("GUNICORN_KEEPALIVE", COUNT, 5, "Seconds a kept-alive connection waits."),
    S("GUNICORN_MAX_REQUESTS", COUNT, 0, "Requests before a worker restarts (0: never)."),
    S("GUNICORN_MAX_REQUESTS_JITTER", COUNT, 0, "Random spread added to `GUNICORN_MAX_REQUESTS`."),
    S("GUNICORN_ACCESS_LOG", ACCESS_LOG, "-", "Access log file (`-`: stdout; empty: none)."),
    S("GUNICORN_ACCESS_LOG_FORMAT", TEXT, '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"', "gunicorn access log format."),
    S("GUNICORN_LOG_LEVEL", TEXT, "info", "gunicorn log level."),
    S("GUNICORN_PRELOAD", FLAG, True, "Load the app in the master so workers share its memory."),
)
BY_KEY = {setting.key: setting for setting in SETTINGS}

# Settings of the app's libraries that no environment changes.
FIXED = {
    "RATELIMIT_HEADERS_ENABLED": True,
    # While the shared store (Redis or the users database) is unreachable, each process counts for itself:
    # the same limits, per process, never none. Flask-Limiter logs the switch and tries the store again.
    "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_DURATION": timedelta(days=30),
    "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
    "BOOTSTRAP_SERVE_LOCAL": True,  # no CDN: the CSP allows 'self' only
    "PAGES_FOLDER": str(ROOT / "pages"),  # the Dash pages mounted; tests mount others
    "ARGON2_PROFILE": None,  # argon2-cffi's RFC 9106 low-memory profile; tests name a cheaper one
    "COMPRESS_LEVEL": 6,  # gzip
    "COMPRESS_BR_LEVEL": 4,  # brotli: near gzip's ratio at a fraction of the time
    "PLAN_FEATURES": [
        "Every dashboard: production, trade, supply and country pages",
        "CSV downloads of every chart",
        "Data API with personal tokens",
        "Updated with every USDA PSD release",
    ],
}


def read(environ=None, instance_dir=INSTANCE_DIR):
    """Return every declared setting read from environ (default the process's); raise SettingError on a bad value."""
    environ = os.environ if environ is None else environ
    values = {}
    for setting in SETTINGS:
        raw = environ.get(setting.env)
        if raw is None or (not raw.strip() and not setting.kind.blank):
            values[setting.key] = setting.default_for(values, Path(instance_dir))
            continue
        try:
            values[setting.key] = setting.kind.parse(raw.strip())
        except ValueError as exc:
            shown = "(hidden)" if setting.kind is SECRET or setting.kind.hidden else repr(raw)  # never a secret in a log
            raise SettingError(f"{setting.env}={shown} is not a valid {setting.kind.name} ({exc}): "
                               f"{setting.meaning}") from None
    return values


def value(config, key):
    """Return config's key, else the key's declared default (for callers given a partial mapping)."""
    return config[key] if key in config else BY_KEY[key].default_for(config, INSTANCE_DIR)


def under_gunicorn():
    """Return True in a process gunicorn started (it marks its processes; not a setting)."""
    return os.environ.get("SERVER_SOFTWARE", "").startswith("gunicorn/")


def metrics_dir():
    """Return prometheus_client's multiprocess directory, or None (the library reads PROMETHEUS_MULTIPROC_DIR)."""
    return os.environ.get(METRICS_DIR_ENV) or None


def claim_metrics_dir():
    """Point PROMETHEUS_MULTIPROC_DIR at a new temporary directory unless set; return (directory, made here)."""
    ours = metrics_dir() is None
    if ours:
        os.environ[METRICS_DIR_ENV] = tempfile.mkdtemp(prefix="beanflows-metrics-")
    os.makedirs(os.environ[METRICS_DIR_ENV], exist_ok=True)
    return os.environ[METRICS_DIR_ENV], ours


class Config:
    """The app's settings: the declared ones read from the environment, and what follows from them."""

    def __init__(self, instance_dir=INSTANCE_DIR, environ=None):
        self.values = {**FIXED, **read(environ, instance_dir)}
        v = self.values
        redis_url, prefix = v["REDIS_URL"], v["REDIS_KEY_PREFIX"]
        v.update({
            # A database server may drop idle connections: test each before use. A SQLite file has no server,
            # and every request loads its user, so the extra round trip would be paid on every request.
            # A server that stops answering fails a connection in 5 s rather than hanging the request.
            "SQLALCHEMY_ENGINE_OPTIONS": {} if v["SQLALCHEMY_DATABASE_URI"].startswith("sqlite") else {
                "pool_pre_ping": True, "connect_args": {"connect_timeout": 5}},
            # Off (every answer computed) while Redis is unreachable: web/redis_cache.py.
            "CACHE_TYPE": "web.redis_cache.FallbackRedisCache" if redis_url else "SimpleCache",
            "CACHE_REDIS_URL": redis_url,
            "CACHE_OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2} if redis_url else None,
            "CACHE_KEY_PREFIX": f"{prefix}:cache:",
            "RATELIMIT_KEY_PREFIX": f"{prefix}:limit",
            # Without Redis the counts live in the users database, shared by every worker and host.
            "RATELIMIT_STORAGE_URI": redis_url or "sqlalchemy://",
            "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2} if redis_url else {},
            "REMEMBER_COOKIE_SECURE": v["SESSION_COOKIE_SECURE"],
            "PLAN": {"name": v["PLAN_NAME"], "price": v["PLAN_PRICE"], "interval": v["PLAN_INTERVAL"],
                     "features": v["PLAN_FEATURES"]},
        })

    def as_dict(self):
        """Return the settings as a plain dict for app.config."""
        return dict(self.values)


if __name__ == "__main__" and sys.argv[1:] == ["--markdown"]:
    print(settings_table(SETTINGS))
