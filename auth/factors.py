"""Second factors: TOTP (an authenticator app) and recovery codes; the user's two_factor flag; what a change ends.

A TOTP code is accepted once: the time step of the last accepted code is stored and only a later step passes, in one
conditional UPDATE, so two workers given the same code accept it once. Recovery codes are single use the same way.
"""
import base64
import hashlib
import hmac
import secrets
from datetime import timedelta

import pyotp
import segno
from auth.sealed import seal, unseal
from extensions import db
from models.accounts import AuditLog, utcnow
from models.entitlement import aware
from models.sign_in import Passkey, RecoveryCode, TotpFactor

RECOVERY_CODES = 10
# How long an unconfirmed authenticator secret waits for its first code.
ENROL_WINDOW = timedelta(minutes=15)
# Codes of the previous and next 30-second steps pass too (clocks drift), each step at most once.
DRIFT_STEPS = (0, -1, 1)


ISSUER = "beanflows"  # the name authenticator apps show beside the account
SELF = "self"


def audit(user, action, detail=None, actor=SELF):
    """Add an audit log row for a change to user's ways in, made by the user (or actor; None: support's CLI)."""
    actor_id = user.id if actor == SELF else getattr(actor, "id", None)
    db.session.add(AuditLog(actor_id=actor_id, target_id=user.id, action=action, detail=(detail or user.email)[:512]))


def totp(user):
    """Return user's TotpFactor row (confirmed or not), or None."""
    return db.session.get(TotpFactor, user.id)


def passkeys(user):
    """Return user's passkeys, oldest first."""
    return db.session.execute(db.select(Passkey).where(Passkey.user_id == user.id).order_by(Passkey.id)).scalars().all()


def recovery_left(user):
    """Return how many unused recovery codes user has."""
    return db.session.execute(db.select(db.func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))).scalar_one()


def refresh_flag(user):
    """Set user.two_factor from the factors held; with none left, the recovery codes go too."""
    confirmed = db.session.execute(db.select(TotpFactor.user_id).where(
        TotpFactor.user_id == user.id, TotpFactor.confirmed_at.is_not(None))).first() is not None
    held = confirmed or db.session.execute(db.select(Passkey.id).where(Passkey.user_id == user.id)).first() is not None
    user.two_factor = held
    if not held:
        db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    return held


def changed(user, action, detail=None):
    """Commit a change to user's factors: the two_factor flag follows, the audit log says what (and to which)."""
    db.session.flush()
    refresh_flag(user)
    audit(user, action, detail)
    db.session.commit()


def start_totp(user):
    """Return user's new unconfirmed TotpFactor (replacing an unconfirmed one); a confirmed one must be disabled first."""
    row = totp(user)
    if row is not None and row.confirmed_at is not None:
        raise ValueError("an authenticator app is already set up")
    if row is not None:
        db.session.delete(row)
        db.session.flush()
    row = TotpFactor(user_id=user.id, secret=seal(pyotp.random_base32()), created_at=utcnow())
    db.session.add(row)
    db.session.commit()
    return row


def provisioning(user, row):
    """Return (secret in groups of four, otpauth URI, QR code as an SVG data URI) of an authenticator secret."""
    secret = unseal(row.secret)
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    grouped = " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
    return grouped, uri, segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def _normal(code):
    """Return a typed code without spaces, dashes and case."""
    return "".join(str(code or "").split()).replace("-", "").lower()


def _counter(secret, code, now):
    """Return the time step whose TOTP code is code (this, the previous or the next one), or None."""
    generator = pyotp.TOTP(secret)
    current = generator.timecode(now)
    for offset in DRIFT_STEPS:
        if hmac.compare_digest(generator.generate_otp(current + offset), code):
            return current + offset
    return None


def _accept(user, code, confirmed):
    """Accept code for user's TOTP (confirmed or still to confirm) once; return the row, or None when refused."""
    code = _normal(code)
    row = totp(user)
    if row is None or (row.confirmed_at is not None) != confirmed or not code.isdigit() or len(code) != 6:
        return None
    now = utcnow()
    counter = _counter(unseal(row.secret), code, now)
    if counter is None:
        return None
    # One UPDATE decides: the step must be later than the last accepted one, whichever worker asks first.
    done = db.session.execute(
        db.update(TotpFactor).where(TotpFactor.user_id == user.id,
                                    db.or_(TotpFactor.last_counter.is_(None), TotpFactor.last_counter < counter))
        .values(last_counter=counter).execution_options(synchronize_session=False))
    db.session.commit()
    if done.rowcount != 1:
        return None
    db.session.refresh(row)
    return row


def confirm_totp(user, code):
    """Confirm the unconfirmed TOTP of user with its first code; return True when it is now a factor."""
    row = totp(user)
    if row is None or row.confirmed_at is not None or utcnow() - aware(row.created_at) > ENROL_WINDOW:
        return False
    if _accept(user, code, confirmed=False) is None:
        return False
    row.confirmed_at = utcnow()
    changed(user, "mfa.totp_enable")
    return True


def remove_totp(user):
    """Remove user's authenticator app."""
    row = totp(user)
    if row is not None:
        db.session.delete(row)
        changed(user, "mfa.totp_disable")


def _digest(code):
    """Return the stored hash of a recovery code."""
    return hashlib.sha256(_normal(code).encode()).hexdigest()


def new_recovery_codes(user):
    """Replace user's recovery codes with RECOVERY_CODES new ones; return them (shown once, stored hashed)."""
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = base64.b32encode(secrets.token_bytes(10)).decode().lower()  # 80 random bits
        codes.append("-".join(raw[i:i + 4] for i in range(0, 16, 4)))
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_digest(code)) for code in codes)
    audit(user, "mfa.recovery_codes")
    db.session.commit()
    return codes


def use_recovery_code(user, code):
    """Spend one of user's recovery codes; return True the first time it is given, False after."""
    if len(_normal(code)) != 16:
        return False
    done = db.session.execute(
        db.update(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _digest(code),
                                      RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow()).execution_options(synchronize_session=False))
    if done.rowcount == 1:
        audit(user, "mfa.recovery_code_used")
    db.session.commit()
    return done.rowcount == 1


def check(user, code=None, recovery_code=None):
    """Return 'totp' or 'recovery' for the second factor user gave, or None when it is wrong or used."""
    if code and _accept(user, code, confirmed=True) is not None:
        return "totp"
    if recovery_code and use_recovery_code(user, recovery_code):
        return "recovery"
    return None


def end_other_logins(user):
    """End every other session and remember cookie of user (their factors changed); the caller keeps this one."""
    user.session_version += 1


def reset(user, actor=None, detail=None):  # actor None: support, through the CLI
    """Remove every second factor and recovery code of user and end all their logins (support, audited)."""
    for model in (TotpFactor, Passkey, RecoveryCode):
        db.session.execute(db.delete(model).where(model.user_id == user.id))
    user.two_factor = False
    user.session_version += 1
    audit(user, "mfa.reset", detail or f"{user.email}: every second factor removed", actor=actor)
    db.session.commit()
