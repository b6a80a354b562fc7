"""A team's own single sign-on, set by its owner on /team: POST /team/sso, and the card the team page shows.

The owner gives the provider (issuer with discovery, client id and secret, which is stored sealed and never shown
back), may require members to sign in only through it, may require two-factor, and may name email domains whose
verified addresses join the team through it (seats still apply; otherwise joining stays by invitation).
"""
import re
from types import SimpleNamespace
from urllib.parse import urlsplit

from flask import abort, flash, g, redirect, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, Length, Optional

import registry
from auth import oidc
from auth.access import USER, requires
from auth.sealed import seal
from auth.steps import team_method
from extensions import db
from links import external_url
from models.accounts import utcnow
from models.sign_in import TeamDomain, TeamSignIn
from models.teams import membership
from teams import routes, service, sso_members
from teams.routes import bp

DOMAIN = re.compile(r"(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")
LOOPBACK = ("127.0.0.1", "localhost", "::1")


class TeamSsoForm(FlaskForm):
    """The team's provider and its rules."""

    issuer = StringField("Issuer URL", validators=[DataRequired(message="Enter the provider's issuer URL."),
                                                   Length(max=512)])
    client_id = StringField("Client ID", validators=[DataRequired(message="Enter the client ID."), Length(max=255)])
    client_secret = PasswordField("Client secret", validators=[Optional(), Length(max=1000)])
    required = BooleanField("Members sign in only through this provider")
    require_mfa = BooleanField("Members must use two-factor authentication")
    domains = StringField("Email domains that may join", validators=[Optional(), Length(max=1000)])


def _domains(text):
    """Return (domains, reasons) of a comma-separated list."""
    found, reasons = [], []
    for raw in (text or "").split(","):
        domain = raw.strip().lower().lstrip("@")
        if not domain:
            continue
        if not DOMAIN.fullmatch(domain):
            reasons.append(f"{raw.strip()[:80]} is not a domain name.")
        elif domain not in found:
            found.append(domain)
    return found, reasons


def _issuer_reason(issuer):
    """Return why issuer cannot be a provider's issuer URL, or None."""
    parts = urlsplit(issuer)
    if parts.scheme == "https" and parts.hostname and not parts.query and not parts.fragment:
        return None
    if parts.scheme == "http" and parts.hostname in LOOPBACK:
        return None
    return "The issuer must be an https URL."


def _check(form, team, row, method):
    """Return the reasons the form cannot be saved for team (row: its current settings, or None)."""
    reasons = []
    issuer = (form.issuer.data or "").strip().rstrip("/")
    reason = _issuer_reason(issuer)
    if reason:
        form.issuer.errors.append(reason)
        reasons.append(reason)
    if not form.client_secret.data and (row is None or not row.client_secret):
        form.client_secret.errors.append("Enter the client secret.")
        reasons.append("Enter the client secret.")
    domains, bad = _domains(form.domains.data)
    taken = [d.domain for d in db.session.execute(db.select(TeamDomain).where(
        TeamDomain.domain.in_(domains), TeamDomain.team_id != team.id)).scalars()]
    bad += [f"{domain} already belongs to another team." for domain in taken]
    form.domains.errors.extend(bad)
    reasons += bad
    if form.required.data and method != team_method(team.id):
        reasons.append("Sign in through the team's provider yourself first (link it below), then require it: "
                       "so nobody is locked out by a provider that does not work.")
    return reasons, issuer, domains


def _reachable(team, issuer, form, row):
    """Return why the provider's discovery document cannot be used, or None (Authlib reads it)."""
    secret = form.client_secret.data or None
    provider = oidc.Provider(f"{oidc.TEAM_PREFIX}{team.id}", f"{team.name} single sign-on", issuer,
                             form.client_id.data.strip(), secret or "(stored)")
    try:
        oidc.client(provider)
    except oidc.ProviderError as exc:
        return str(exc)
    registry.current().oidc_clients.pop(provider.key, None)  # built again with the stored secret when used
    return None


@bp.post("/team/sso")
@requires(USER)
def sso():
    """Save the team's single sign-on (the owner only)."""
    member = membership(current_user.id)
    if member is None:
        abort(404)
    if member.role != "owner":
        abort(403)
    team, form = member.team, TeamSsoForm()
    row = db.session.get(TeamSignIn, team.id)
    if not form.validate_on_submit():
        g.team_sso_form = form
        return routes._page(member, 400, error="The single sign-on form has errors: see below.")
    reasons, issuer, domains = _check(form, team, row, getattr(current_user, "login_method", None))
    reason = None if reasons else _reachable(team, issuer, form, row)
    if reasons or reason:
        g.team_sso_form = form
        return routes._page(member, 400, error=" ".join(reasons or [reason]))
    row = row or TeamSignIn(team_id=team.id)
    row.issuer, row.client_id = issuer, form.client_id.data.strip()
    if form.client_secret.data:
        row.client_secret = seal(form.client_secret.data)
    row.sso_required, row.mfa_required = bool(form.required.data), bool(form.require_mfa.data)
    row.updated_at, row.updated_by_id = utcnow(), current_user.id
    db.session.add(row)
    db.session.execute(db.delete(TeamDomain).where(TeamDomain.team_id == team.id))
    db.session.add_all(TeamDomain(domain=domain, team_id=team.id) for domain in domains)
    service.audit(current_user.id, None, "team.sso", f"team {team.id}: issuer {issuer}, required "
                  f"{row.sso_required}, two-factor {row.mfa_required}, domains {', '.join(domains) or 'none'}")
    db.session.commit()
    registry.current().oidc_clients.pop(f"{oidc.TEAM_PREFIX}{team.id}", None)
    flash("Single sign-on saved.", "success")
    return redirect(url_for("teams.team"), code=303)


def team_sso(team, me):
    """Return what the team page's single sign-on card shows (the owner's form, everyone's status)."""
    row = db.session.get(TeamSignIn, team.id)
    domains = [d.domain for d in db.session.execute(
        db.select(TeamDomain).where(TeamDomain.team_id == team.id).order_by(TeamDomain.domain)).scalars()]
    form = g.get("team_sso_form")
    if form is None and me.role == "owner":
        form = TeamSsoForm(issuer=row.issuer if row else None, client_id=row.client_id if row else None,
                           required=bool(row and row.sso_required), require_mfa=bool(row and row.mfa_required),
                           domains=", ".join(domains))
    key = f"{oidc.TEAM_PREFIX}{team.id}"
    return SimpleNamespace(
        row=row, configured=bool(row and row.issuer and row.client_secret), domains=domains, form=form,
        has_secret=bool(row and row.client_secret), key=key,
        sign_in_url=external_url("auth.oidc_start", provider=key),
        callback_url=external_url("auth.oidc_callback", provider=key),
        through_it=getattr(current_user, "login_method", None) == team_method(team.id))


def init_app(app):
    """Give the team page its card, and the sign-in code who the team's provider may sign in."""
    app.add_template_global(team_sso)
    registry.of(app).team_sign_in = sso_members
