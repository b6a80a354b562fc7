"""Limits of one invitation, counted in the app's limiter storage so they hold across workers and hosts:
resends (INVITATION_RESEND_RATE_LIMIT) and tries to accept (INVITATION_ACCEPT_RATE_LIMIT)."""
from flask import current_app
from limits import parse_many

from extensions import limiter

RESEND, ACCEPT = "INVITATION_RESEND_RATE_LIMIT", "INVITATION_ACCEPT_RATE_LIMIT"


def _keys(setting, key):
    """Return the limiter's identifiers of one count: the app's key prefix, the setting, the key."""
    return (current_app.config.get("RATELIMIT_KEY_PREFIX") or "beanflows", setting.lower(), str(key))


def reached(setting, key):
    """Return the limit of setting already reached for key (as text, e.g. '1 per 1 minute'), or None."""
    for item in parse_many(current_app.config[setting]):
        if not limiter.limiter.test(item, *_keys(setting, key)):
            return str(item)
    return None


def count(setting, key):
    """Count one use against every limit of setting for key."""
    for item in parse_many(current_app.config[setting]):
        limiter.limiter.hit(item, *_keys(setting, key))
