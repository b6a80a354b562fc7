"""The sign-in part of the policy: a login's step, decided from the live-user record's fields alone."""
from datetime import timedelta
from types import SimpleNamespace

import pytest

import config
from auth.access import PUBLIC, SUBSCRIBER, allows, level
from auth.steps import (ADD_FACTOR, ENROLMENT, SECOND_FACTOR, SECOND_STEP, TEAM_SSO, owes_factor_check,
                        sign_in_step)
from models.accounts import utcnow


def record(**fields):
    """Return a live-user record of a subscriber's complete password login, with fields changed."""
    base = dict(is_authenticated=True, is_active=True, is_admin=False, access_granted=True, active=True,
                subscription_status=None, past_due_since=None, two_factor=False, login_method="password",
                login_pending=False, login_factor_at=None, team_id=None, team_name=None, team_sso_required=None,
                team_mfa_required=None, team_access_ended=None, team_access_granted=None, team_status=None,
                team_past_due_since=None)
    return SimpleNamespace(**{**base, **fields})


@pytest.fixture(scope="module")
def strict_app(tmp_path_factory):
    """Return an app where site admins must hold a second factor."""
    from tests.signin.conftest import make_app

    return make_app(tmp_path_factory.mktemp("steps"), REQUIRE_ADMIN_MFA=True)


@pytest.mark.parametrize("fields, step", [
    ({}, None),
    ({"two_factor": True, "login_pending": True}, SECOND_FACTOR),
    ({"team_id": 7, "team_mfa_required": True}, ADD_FACTOR),
    ({"team_id": 7, "team_mfa_required": True, "two_factor": True}, None),
    ({"is_admin": True}, ADD_FACTOR),
    ({"team_id": 7, "team_sso_required": True}, TEAM_SSO),
    ({"team_id": 7, "team_sso_required": True, "login_method": "team:7"}, None),
    ({"team_id": 7, "team_sso_required": True, "login_method": "team:8"}, TEAM_SSO),
    ({"team_id": 7, "team_sso_required": True, "login_method": "oidc:acme"}, TEAM_SSO),
    # The team's provider first, then the factor owed: a password login of such a team learns nothing more.
    ({"team_id": 7, "team_sso_required": True, "login_pending": True, "two_factor": True}, TEAM_SSO),
    ({"team_id": 7, "team_sso_required": True, "team_mfa_required": True, "login_method": "team:7"}, ADD_FACTOR),
    ({"login_method": None, "is_admin": True}, None),  # an API token's user: no login, no step
])
def test_the_step_of_a_login(strict_app, fields, step):
    with strict_app.app_context():
        user = record(**fields)
        assert sign_in_step(user) == step
        assert (level(user) == PUBLIC) == (step is not None)
        assert allows(user, SUBSCRIBER) == (step is None)
        assert allows(user, SECOND_STEP) == (step in (None, SECOND_FACTOR))
        assert allows(user, ENROLMENT) == (step in (None, ADD_FACTOR))


def test_admins_owe_a_factor_only_where_the_setting_is_on(tmp_path):
    from tests.signin.conftest import make_app

    with make_app(tmp_path, REQUIRE_ADMIN_MFA=False).app_context():
        assert sign_in_step(record(is_admin=True)) is None
    assert config.read({})["REQUIRE_ADMIN_MFA"] is True
    assert config.read({"BEANFLOWS_ENV": "development"})["REQUIRE_ADMIN_MFA"] is False
    assert config.read({"BEANFLOWS_ENV": "development", "REQUIRE_ADMIN_MFA": "1"})["REQUIRE_ADMIN_MFA"] is True


def test_an_api_token_needs_a_second_factor_given_in_the_last_fifteen_minutes():
    now = utcnow()
    assert not owes_factor_check(record(two_factor=False))
    assert owes_factor_check(record(two_factor=True))
    assert not owes_factor_check(record(two_factor=True, login_factor_at=now - timedelta(minutes=14)), now)
    assert owes_factor_check(record(two_factor=True, login_factor_at=now - timedelta(minutes=16)), now)


def test_the_providers_setting_is_checked_and_never_shown_in_an_error():
    good = '[{"name": "acme", "issuer": "https://id.example.com", "client_id": "a", "client_secret": "s3cret"}]'
    assert config.read({"OIDC_PROVIDERS": good})["OIDC_PROVIDERS"][0]["name"] == "acme"
    for bad in ('{"name": "acme"}', good.replace('"acme"', '"team-1"'), good.replace("https://", "http://"),
                good.replace('"s3cret"', '""'), good.replace('}]', '}, ' + good[1:])):
        with pytest.raises(config.SettingError) as refused:
            config.read({"OIDC_PROVIDERS": bad})
        assert "s3cret" not in str(refused.value) and "(hidden)" in str(refused.value)
