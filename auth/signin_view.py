"""What the sign-in templates show: the other ways in on /login, and the security card of /account."""
from flask import url_for
from flask_login import current_user

from auth import identities, oidc, reauth


def _button(provider, next_url):
    """Return what a provider's button needs: its name, label and start URL."""
    return {"key": provider.key, "label": provider.label,
            "url": url_for("auth.oidc_start", provider=provider.key, next=next_url or None)}


def sign_in_options(sso=None, next_url=None):
    """Return the configured providers' buttons, and the team provider's button when /login was sent one (sso)."""
    team = oidc.find(sso) if isinstance(sso, str) and sso.startswith(oidc.TEAM_PREFIX) else None
    return {"providers": [_button(provider, next_url) for provider in oidc.configured()],
            "sso": _button(team, next_url) if team is not None else None}


def account_security():
    """Return the signed-in user's linked identities (with labels), the providers they may link, and whether the
    identities are their last way in."""
    user = current_user._get_current_object()
    offered = {provider.key: provider.label for provider in oidc.configured()}
    team = oidc.team_provider(user.team_id) if getattr(user, "team_id", None) is not None else None
    if team is not None:
        offered[team.key] = team.label
    rows = identities.linked(user)
    held = {row.provider for row in rows}
    return {"identities": [(row, offered.get(row.provider, row.provider)) for row in rows],
            "linkable": [(key, label) for key, label in offered.items() if key not in held],
            "last_way_in": identities.ways_in(user) <= 1, "has_password": reauth.has_password(user)}


def init_app(app):
    """Give templates the sign-in helpers."""
    app.add_template_global(sign_in_options)
    app.add_template_global(account_security)
