"""A shared rule's firings are emailed to every teammate who takes alert emails and holds subscriber access."""
import email as email_lib
from email import policy

import pytest

from extensions import db
from models.accounts import User
from models.alerts import AlertRule, MailPreference
from tests.alerts.conftest import alerts_env, smtp  # noqa: F401  (real SMTP server, three releases)
from tests.alerts.test_delivery import RULES, expected_firings
from tests.teams_sharing.conftest import email, make_teams

pytestmark = pytest.mark.redis


def _alert_mails(mailbox, seen):
    """Return {recipient: parsed message} of the alert digests received after the first `seen` messages."""
    found = {}
    for recipients, text in mailbox.messages[seen:]:
        message = email_lib.message_from_string(text, policy=policy.default)
        if "alert" in message["Subject"]:
            found[recipients[0]] = message
    return found


def test_a_shared_rule_fires_to_opted_in_subscribed_teammates_only(alerts_env):
    app, env, mailbox, zips = alerts_env
    users, teams = make_teams(app)
    rule = RULES[0]  # Brazil production (next year) revised by more than 5%
    with app.app_context():
        db.session.add(AlertRule(user_id=users["a_member"], team_id=teams["A"], kind=rule[1], country_code=rule[2],
                                 metric=rule[3], year_choice=rule[4], threshold_pct=rule[5], active=True))
        # Team B's owner copies the same rule privately: it must not reach team A, nor A's reach B.
        db.session.add(AlertRule(user_id=users["b_owner"], kind=rule[1], country_code=rule[2], metric=rule[3],
                                 year_choice=rule[4], threshold_pct=rule[5], active=True))
        db.session.add(MailPreference(user_id=users["a_admin"], alerts_email=False))  # opted out
        db.session.get(User, users["a_quiet"]).active = False  # no subscriber access
        db.session.commit()
    fires_in = {release for index, release in expected_firings() if index == 0}
    assert fires_in, "the designed Brazil edit must fire the rule at least once"
    app.config["REDIS_URL"] = None  # evaluate and send inline, in this process
    runner = app.test_cli_runner()
    for release_id, path in zips.items():
        seen = len(mailbox.messages)
        result = runner.invoke(args=["ingest", str(path)])
        assert result.exit_code == 0, result.output
        mails = _alert_mails(mailbox, seen)
        expected = {email("a_member"), email("a_owner"), email("b_owner")} if release_id in fires_in else set()
        assert set(mails) == expected, release_id
        if release_id in fires_in:
            text = mails[email("a_owner")].get_body(preferencelist=("plain",)).get_content()
            assert "Brazil (BRA)" in text and f"(shared by {email('a_member')})" in text
            own = mails[email("a_member")].get_body(preferencelist=("plain",)).get_content()
            assert "shared by" not in own and "Brazil (BRA)" in own
            assert "shared by" not in mails[email("b_owner")].get_body(preferencelist=("plain",)).get_content()
