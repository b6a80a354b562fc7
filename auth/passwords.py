"""Hash and check passwords with argon2id."""
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# Checked against when no user matches, so unknown emails take as long as wrong passwords.
_DUMMY_HASH = _hasher.hash("beanflows-dummy-password")

MIN_LENGTH = 8
MAX_LENGTH = 256


def hash_password(password):
    """Return an argon2id hash of password."""
    return _hasher.hash(password)


def check_password(password_hash, password):
    """Return True when password matches password_hash."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False


def burn_time(password):
    """Spend the time of one password check, for requests with no matching user."""
    check_password(_DUMMY_HASH, password + "x")
