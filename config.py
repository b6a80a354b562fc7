"""Configuration defaults, overridden by the environment and by tests."""
import os
import secrets
from pathlib import Path

INSTANCE_DIR = Path(__file__).resolve().parent / "instance"


def _env_flag(name, default=False):
    """Read a boolean environment variable."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _dev_secret_key(instance_dir):
    """Return a secret key kept in instance/, creating it on first use."""
    path = Path(instance_dir) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


class Config:
    """Application settings read from the environment."""

    def __init__(self, instance_dir=INSTANCE_DIR):
        instance_dir = Path(instance_dir)
        redis_url = os.environ.get("REDIS_URL") or None
        # Required outside development; web/startup.py refuses to start without it.
        self.SECRET_KEY = os.environ.get("SECRET_KEY") or None
        # The site's public root URL: emailed links and Stripe return URLs are built on it.
        self.BASE_URL = os.environ.get("BASE_URL") or None
        # Host names served (comma-separated); default: BASE_URL's host, plus loopback in development.
        self.TRUSTED_HOSTS = [h.strip() for h in os.environ.get("TRUSTED_HOSTS", "").split(",") if h.strip()] or None
        # Proxies in front of the app whose X-Forwarded-For/-Proto are trusted (0: none).
        self.PROXY_HOPS = int(os.environ.get("PROXY_HOPS", "0"))
        self.MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(4 * 1024 * 1024)))
        self.SQLALCHEMY_DATABASE_URI = os.environ.get(
            "DATABASE_URL", f"sqlite:///{instance_dir / 'beanflows.db'}"
        )
        # A database server may drop idle connections: test each before use. A SQLite file has no server,
        # and every request loads its user, so the extra round trip would be paid on every request.
        self.SQLALCHEMY_ENGINE_OPTIONS = {} if self.SQLALCHEMY_DATABASE_URI.startswith("sqlite") else {
            "pool_pre_ping": True}
        self.BEANFLOWS_DATA_DIR = os.environ.get(
            "BEANFLOWS_DATA_DIR", str(instance_dir / "data")
        )
        # Any pyiceberg catalog: properties passed to load_catalog; default SQLite.
        self.ICEBERG_CATALOG_URI = os.environ.get("ICEBERG_CATALOG_URI")
        self.ICEBERG_WAREHOUSE = os.environ.get("ICEBERG_WAREHOUSE")
        self.PSD_SOURCE_URL = os.environ.get(
            "PSD_SOURCE_URL",
            "https://apps.fas.usda.gov/psdonline/downloads/psd_coffee_csv.zip",
        )
        self.REDIS_URL = redis_url
        self.CACHE_TYPE = "RedisCache" if redis_url else "SimpleCache"
        self.CACHE_REDIS_URL = redis_url
        self.CACHE_DEFAULT_TIMEOUT = int(os.environ.get("CACHE_DEFAULT_TIMEOUT", "3600"))
        # Hosts sharing one Redis for one deployment share a prefix; tests use their own.
        self.CACHE_KEY_PREFIX = os.environ.get("REDIS_KEY_PREFIX", "beanflows") + ":cache:"
        self.RATELIMIT_KEY_PREFIX = os.environ.get("REDIS_KEY_PREFIX", "beanflows") + ":limit"
        self.QUERY_CACHE_ENABLED = _env_flag("QUERY_CACHE_ENABLED", True)
        # Without Redis the counts live in the users database, shared by every worker and host.
        self.RATELIMIT_STORAGE_URI = redis_url or "sqlalchemy://"
        self.RATELIMIT_HEADERS_ENABLED = True
        # Failed logins, counted per email + address (the advertised limit), per address, and
        # per email from every address (slower: an attacker cannot hold one email locked for long).
        self.LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "5 per minute;20 per hour")
        self.LOGIN_ADDRESS_RATE_LIMIT = os.environ.get("LOGIN_ADDRESS_RATE_LIMIT", "20 per minute;100 per hour")
        self.LOGIN_EMAIL_RATE_LIMIT = os.environ.get("LOGIN_EMAIL_RATE_LIMIT", "50 per hour")
        # Signups per client address that pass the form's checks (each may create an account and
        # hashes a password), counted as they arrive; failed signup forms count against LOGIN_RATE_LIMIT.
        self.SIGNUP_RATE_LIMIT = os.environ.get("SIGNUP_RATE_LIMIT", "5 per hour")
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = _env_flag("SECURE_COOKIES", False)
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.REMEMBER_COOKIE_SAMESITE = "Lax"
        self.REMEMBER_COOKIE_SECURE = self.SESSION_COOKIE_SECURE
        self.WTF_CSRF_TIME_LIMIT = None
        self.PASSWORD_RESET_MAX_AGE = int(os.environ.get("PASSWORD_RESET_MAX_AGE", "3600"))
        self.MAIL_SERVER = os.environ.get("MAIL_SERVER")
        self.MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
        self.MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
        self.MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
        self.MAIL_FROM = os.environ.get("MAIL_FROM", "beanflows <no-reply@beanflows.local>")
        # The RQ queue of alert evaluation and email jobs, and the waits (s) before each retry.
        self.ALERTS_QUEUE = os.environ.get("ALERTS_QUEUE", os.environ.get("REDIS_KEY_PREFIX", "beanflows") + "-alerts")
        self.ALERTS_RETRY_INTERVALS = [int(s) for s in os.environ.get("ALERTS_RETRY_INTERVALS", "30,120,600").split(",")]
        self.STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY")
        self.STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET")
        self.STRIPE_PRICE_ID = os.environ.get("STRIPE_PRICE_ID")
        self.STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE")
        self.PAST_DUE_GRACE_DAYS = int(os.environ.get("PAST_DUE_GRACE_DAYS", "7"))
        self.PLAN = {
            "name": os.environ.get("PLAN_NAME", "Analyst"),
            "price": os.environ.get("PLAN_PRICE", "$49"),
            "interval": os.environ.get("PLAN_INTERVAL", "month"),
            "features": [
                "Every dashboard: production, trade, supply and country pages",
                "CSV downloads of every chart",
                "Data API with personal tokens",
                "Updated with every USDA PSD release",
            ],
        }
        # A load whose world production, trade, consumption or stocks for a year move by more
        # than this fraction against the last release is refused unless forced (--force).
        self.RELEASE_MAX_WORLD_CHANGE = float(os.environ.get("RELEASE_MAX_WORLD_CHANGE", "0.25"))

        # --- Operations metrics and usage analytics (web/metrics.py, web/usage.py) ---
        # /metrics answers only with `Authorization: Bearer <METRICS_TOKEN>`; unset, it is off (404).
        self.METRICS_TOKEN = os.environ.get("METRICS_TOKEN") or None
        # Usage events are buffered per worker and written in one batch at this size or age (seconds).
        self.USAGE_FLUSH_SIZE = int(os.environ.get("USAGE_FLUSH_SIZE", "100"))
        self.USAGE_FLUSH_SECONDS = float(os.environ.get("USAGE_FLUSH_SECONDS", "10"))
        # Usage events older than this are deleted by `flask --app app usage purge`.
        self.USAGE_RETENTION_DAYS = int(os.environ.get("USAGE_RETENTION_DAYS", "395"))

    def as_dict(self):
        """Return the settings as a plain dict for app.config."""
        return {k: v for k, v in vars(self).items() if k.isupper()}
