"""Passkeys through the `webauthn` package: registering one, and using one as a second factor or to sign in.

The package is imported where a ceremony runs: it costs every process start 0.3 s of CPU otherwise.

The relying party is the configured site (BASE_URL), never the request's Host. Each ceremony's challenge waits in the
signed session for one answer, for CEREMONY_AGE at most, bound to its purpose and user.
"""
import hashlib
import time
from urllib.parse import urlsplit

from flask import current_app, session

from auth import factors
from extensions import db
from links import base_url
from models.accounts import utcnow
from models.sign_in import Passkey
from auth.nav import brand

CHALLENGE = "passkey_ceremony"
CEREMONY_AGE = 300  # seconds
TIMEOUT_MS = 120_000
# Purposes of a ceremony: add a passkey, give it as the second factor, sign in with it alone.
REGISTER, SECOND_FACTOR, SIGN_IN = "register", "second factor", "sign in"


class PasskeyError(ValueError):
    """A passkey answer that does not prove what it must; the message is fit to show."""


def relying_party():
    """Return (relying party id, the origin browsers must report) of the configured site address."""
    base = urlsplit(base_url(current_app.config))
    host = base.hostname or "localhost"
    if host in ("127.0.0.1", "::1"):  # an address cannot be a relying party id: loopback sites are localhost
        host = "localhost"
    port = f":{base.port}" if base.port else ""
    return host, f"{base.scheme}://{host}{port}"


def user_handle(user):
    """Return the WebAuthn user handle of user: stable, and not their email or row id."""
    return hashlib.sha256(f"beanflows-passkey-user:{user.id}".encode()).digest()


def _remember(purpose, challenge, user_id=None, name=None):
    """Keep a ceremony's challenge in the session for one answer."""
    from webauthn.helpers import bytes_to_base64url

    session[CHALLENGE] = {"purpose": purpose, "challenge": bytes_to_base64url(challenge), "user_id": user_id,
                          "name": name, "at": time.time()}


def _take(purpose, user_id=None):
    """Return the waiting ceremony of purpose (for user_id) and forget it; raise PasskeyError when there is none."""
    waiting = session.pop(CHALLENGE, None)
    if (not isinstance(waiting, dict) or waiting.get("purpose") != purpose or waiting.get("user_id") != user_id
            or time.time() - waiting.get("at", 0) > CEREMONY_AGE):
        raise PasskeyError("This passkey request expired or was already used. Try again.")
    return waiting


def registration_options(user, name):
    """Return the JSON options that create a passkey for user (discoverable, so it also signs in alone)."""
    import webauthn
    from webauthn.helpers import base64url_to_bytes, options_to_json
    from webauthn.helpers.structs import (AuthenticatorSelectionCriteria, PublicKeyCredentialDescriptor,
                                          ResidentKeyRequirement, UserVerificationRequirement)

    rp_id, _ = relying_party()
    options = webauthn.generate_registration_options(
        rp_id=rp_id, rp_name=brand(), user_name=user.email, user_id=user_handle(user), user_display_name=user.email,
        timeout=TIMEOUT_MS,
        authenticator_selection=AuthenticatorSelectionCriteria(resident_key=ResidentKeyRequirement.REQUIRED,
                                                               user_verification=UserVerificationRequirement.PREFERRED),
        exclude_credentials=[PublicKeyCredentialDescriptor(id=base64url_to_bytes(row.credential_id))
                             for row in factors.passkeys(user)])
    _remember(REGISTER, options.challenge, user.id, name)
    return options_to_json(options)


def register(user, credential):
    """Verify the browser's answer to registration_options and store the passkey; return it."""
    import webauthn
    from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
    from webauthn.helpers.exceptions import WebAuthnException

    waiting = _take(REGISTER, user.id)
    rp_id, origin = relying_party()
    try:
        verified = webauthn.verify_registration_response(
            credential=credential, expected_challenge=base64url_to_bytes(waiting["challenge"]),
            expected_rp_id=rp_id, expected_origin=origin)
    except (WebAuthnException, ValueError, TypeError, KeyError) as exc:
        raise PasskeyError(f"The passkey could not be verified: {exc}") from None
    credential_id = bytes_to_base64url(verified.credential_id)
    if db.session.execute(db.select(Passkey.id).where(Passkey.credential_id == credential_id)).first():
        raise PasskeyError("This passkey is already registered.")
    transports = (credential.get("response") or {}).get("transports") if isinstance(credential, dict) else None
    row = Passkey(user_id=user.id, credential_id=credential_id, public_key=verified.credential_public_key,
                  sign_count=verified.sign_count, name=(waiting.get("name") or "Passkey")[:80],
                  transports=",".join(t for t in transports if isinstance(t, str))[:200] if transports else None)
    db.session.add(row)
    factors.changed(user, "mfa.passkey_add", f"{user.email}: passkey {row.name}")
    return row


def authentication_options(user=None):
    """Return the JSON options that ask for a passkey: one of user's (second factor), or any (sign in alone)."""
    import webauthn
    from webauthn.helpers import base64url_to_bytes, options_to_json
    from webauthn.helpers.structs import PublicKeyCredentialDescriptor, UserVerificationRequirement

    rp_id, _ = relying_party()
    allowed = [PublicKeyCredentialDescriptor(id=base64url_to_bytes(row.credential_id))
               for row in factors.passkeys(user)] if user is not None else []
    options = webauthn.generate_authentication_options(
        rp_id=rp_id, timeout=TIMEOUT_MS, allow_credentials=allowed,
        user_verification=UserVerificationRequirement.PREFERRED if user is not None
        else UserVerificationRequirement.REQUIRED)
    _remember(SECOND_FACTOR if user is not None else SIGN_IN, options.challenge, getattr(user, "id", None))
    return options_to_json(options)


def authenticate(credential, user=None):
    """Verify the browser's answer to authentication_options; return the passkey used (its user signs in).

    Signing in with a passkey alone needs the authenticator to have verified its user (PIN or biometrics); as a
    second factor, presence is enough. A sign count that does not grow marks a cloned authenticator: refused.
    """
    import webauthn
    from webauthn.helpers import base64url_to_bytes
    from webauthn.helpers.exceptions import WebAuthnException

    waiting = _take(SECOND_FACTOR if user is not None else SIGN_IN, getattr(user, "id", None))
    credential_id = credential.get("id") if isinstance(credential, dict) else None
    row = db.session.execute(db.select(Passkey).where(Passkey.credential_id == str(credential_id))).scalar_one_or_none()
    if row is None or (user is not None and row.user_id != user.id):
        raise PasskeyError("This passkey is not registered to an account here.")
    rp_id, origin = relying_party()
    try:
        verified = webauthn.verify_authentication_response(
            credential=credential, expected_challenge=base64url_to_bytes(waiting["challenge"]), expected_rp_id=rp_id,
            expected_origin=origin, credential_public_key=row.public_key, credential_current_sign_count=row.sign_count,
            require_user_verification=user is None)
    except (WebAuthnException, ValueError, TypeError, KeyError) as exc:
        raise PasskeyError(f"The passkey could not be verified: {exc}") from None
    row.sign_count, row.last_used_at = verified.new_sign_count, utcnow()
    db.session.commit()
    return row


def remove(user, passkey_id):
    """Remove one of user's passkeys; return its name, or None when user has no such passkey."""
    row = db.session.get(Passkey, passkey_id)
    if row is None or row.user_id != user.id:
        return None
    name = row.name
    db.session.delete(row)
    factors.changed(user, "mfa.passkey_remove", f"{user.email}: passkey {name}")
    return name
