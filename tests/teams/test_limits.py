"""Limits that fit teams: an invitation is resent at most once a minute and 10 times a day, counted in the app's
limiter storage (so another worker or host sees the same count); accepting has its own count per invitation, so a
whole desk behind one office address accepts."""
import pytest
from sqlalchemy import text

from extensions import db
from tests.billing.conftest import BASE_URL, make_app, stripe_settings
from tests.teams.flow import Person, make_team, roles
from tests.teams.test_invitations import signup, token_of, visitor


@pytest.fixture
def app(tmp_path, real_data_dir, fake_stripe):
    """Return the team app with its limits counted where production counts them without Redis: the users database."""
    return make_app(tmp_path, real_data_dir, BASE_URL=BASE_URL, ARGON2_PROFILE="CHEAPEST",
                    RATELIMIT_STORAGE_URI="sqlalchemy://", **stripe_settings(fake_stripe))


def _counts(app, pattern):
    """Return {limit key: hits} of the limiter's stored windows whose key matches a LIKE pattern."""
    with app.app_context():
        return dict(db.session.execute(text("SELECT limit_key, hits FROM rate_limits WHERE limit_key LIKE :p"),
                                       {"p": pattern}).all())


def _a_minute_passes(app):
    """End the open one-minute windows of the limiter's storage (the users database here), as a minute would."""
    with app.app_context():
        db.session.execute(text("UPDATE rate_limits SET expires_at = 0 WHERE limit_key LIKE '%/minute'"))
        db.session.commit()


def _emails_queued(app, invitation_id):
    """Return how many emails were made for the invitation."""
    from models.teams import TeamMail

    with app.app_context():
        return db.session.execute(db.select(db.func.count()).select_from(TeamMail)
                                  .where(TeamMail.invitation_id == invitation_id)).scalar_one()


def test_an_invitation_is_resent_at_most_once_a_minute_and_ten_times_a_day(app, two_teams):
    owner, admin, invitation = two_teams["a_owner"], two_teams["a_admin"], two_teams["a_invitation"]
    path = f"/team/invitations/{invitation}/resend"
    assert owner.post(path).status_code == 303
    again = admin.post(path)  # another manager, the same invitation
    assert again.status_code == 429 and "resent too often" in again.get_data(as_text=True)
    # The count is the invitation's, in the storage every worker and host shares (here the users database).
    stored = _counts(app, f"%invitation_resend_rate_limit/{invitation}/%")
    assert sorted(stored.values()) == [1, 1] and len(stored) == 2, stored
    for _ in range(9):
        _a_minute_passes(app)
        assert owner.post(path).status_code == 303
    _a_minute_passes(app)
    refused = owner.post(path)
    assert refused.status_code == 429 and "10 per 1 day" in refused.get_data(as_text=True)
    assert _emails_queued(app, invitation) == 10
    # Another invitation of the team keeps its own count.
    fresh = owner.pending_invitation("fresh@example.com")
    assert owner.post(f"/team/invitations/{fresh}/resend").status_code == 303


def test_a_whole_desk_behind_one_address_accepts_and_each_invitation_has_its_own_limit(app, fake_stripe):
    owner = Person(app, "office-owner@example.com")
    owner.team_id = make_team(app, fake_stripe, owner.user_id, name="Office", seats=12)
    colleagues = [f"desk-{n}@example.com" for n in range(8)]
    invitations = {address: owner.pending_invitation(address) for address in colleagues}
    # Eight colleagues accept from the same address (every test client is 127.0.0.1), one after the other.
    for address in colleagues[:7]:
        response = signup(visitor(app), token_of(app, invitations[address]))
        assert response.status_code == 303, (address, response.status_code)
    assert set(colleagues[:7]) <= set(roles(app, owner.team_id))
    # One link tried over and over is stopped after its own limit (10 a minute); the others are not.
    token = token_of(app, invitations[colleagues[7]])
    client = visitor(app)
    for _ in range(10):
        assert signup(client, token, confirm="not the same").status_code == 400
    stopped = signup(client, token)
    assert stopped.status_code == 429 and "Too many tries with this invitation" in stopped.get_data(as_text=True)
    assert colleagues[7] not in roles(app, owner.team_id)
    assert signup(visitor(app), token_of(app, owner.pending_invitation("desk-late@example.com"))).status_code == 303
