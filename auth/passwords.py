"""Hash and check passwords with argon2id."""
from functools import lru_cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context

MIN_LENGTH = 8
MAX_LENGTH = 256
_DEFAULT = PasswordHasher()


@lru_cache(maxsize=8)
def _profile_hasher(name):
    """Return the hasher of an argon2.profiles name, and a hash to check against when no user matches."""
    hasher = PasswordHasher.from_parameters(getattr(profiles, name)) if name else _DEFAULT
    return hasher, hasher.hash("beanflows-dummy-password")


def _current():
    """Return (hasher, dummy hash) for the app's ARGON2_PROFILE (default: argon2-cffi's RFC 9106 low-memory)."""
    return _profile_hasher(current_app.config.get("ARGON2_PROFILE") if has_app_context() else None)


def _hasher():
    """Return the hasher new hashes are made with."""
    return _current()[0]


def hash_password(password):
    """Return an argon2id hash of password."""
    return _hasher().hash(password)


def check_password(password_hash, password):
    """Return True when password matches password_hash."""
    try:
        return _DEFAULT.verify(password_hash or _current()[1], password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash):
    """Return True when a hash was made with other parameters than the current ones."""
    return _hasher().check_needs_rehash(password_hash)


def burn_time(password):
    """Spend the time of one password check, so unknown emails answer as slowly as wrong passwords."""
    check_password(_current()[1], password + "x")
