"""People on a test app: logged-in clients, teams written to the database, forms posted with CSRF tokens."""
from datetime import timedelta

from extensions import db
from models.accounts import AuditLog, User, utcnow
from models.teams import Team, TeamInvitation, TeamMember
from tests.billing.conftest import add_user, csrf_token, login
from tests.billing.gate import api_allows, has_subscriber_access


def make_team(app, fake, owner_id, name="Team", seats=5, status="active"):
    """Write a team with a Stripe subscription of `seats` (in the fake) and its owner; return the team id."""
    with app.app_context():
        owner = db.session.get(User, owner_id)
        customer = fake.dispatch("POST", "/v1/customers", {}, {"email": owner.email},
                                 {"Authorization": f"Bearer {fake.api_key}"})[1]
        subscription = fake.create_subscription(customer["id"], status=status, price_id=fake.team_price_id,
                                                quantity=seats, metadata={"plan": "team", "user_id": str(owner_id)})
        team = Team(name=name, owner_id=owner_id, seats=seats, subscription_status=status,
                    stripe_customer_id=customer["id"], stripe_subscription_id=subscription["id"])
        db.session.add(team)
        db.session.flush()
        db.session.add(TeamMember(team_id=team.id, user_id=owner_id, role="owner"))
        db.session.commit()
        return team.id


class Person:
    """One user with a logged-in test client."""

    def __init__(self, app, email, **fields):
        self.app, self.email = app, email
        self.client = app.test_client()
        self.client.get("/healthz")
        self.user_id = add_user(app, email, **fields)
        login(self.client, app, self.user_id)
        self.team_id = None

    def join(self, team_id, role="member", joined_at=None):
        """Make this person a member of team_id with role (written to the database) and return self."""
        with self.app.app_context():
            db.session.add(TeamMember(team_id=team_id, user_id=self.user_id, role=role,
                                      **({"joined_at": joined_at} if joined_at else {})))
            db.session.commit()
        self.team_id = team_id
        return self

    def pending_invitation(self, email):
        """Write a pending invitation of this person's team to email and return its id."""
        with self.app.app_context():
            now = utcnow()
            row = TeamInvitation(team_id=self.team_id, email=email, invited_by_id=self.user_id, created_at=now,
                                 expires_at=now + timedelta(days=7), last_sent_at=now)
            db.session.add(row)
            db.session.commit()
            return row.id

    def post(self, path, **fields):
        """POST a form with a valid CSRF token; return the response."""
        return self.client.post(path, data={"csrf_token": csrf_token(self.client), **fields})

    def access(self):
        """Return whether the gate opens subscriber pages and the API to this person (they must agree)."""
        page, api = has_subscriber_access(self.client), api_allows(self.client)
        assert page == api, f"page gate says {page}, API gate says {api}"
        return page


def team_row(app, team_id):
    """Return the team's stored row as a dict."""
    with app.app_context():
        team = db.session.get(Team, team_id)
        return {c.name: getattr(team, c.name) for c in Team.__table__.columns}


def roles(app, team_id):
    """Return {email: role} of the team's members."""
    with app.app_context():
        rows = db.session.execute(db.select(User.email, TeamMember.role).join(TeamMember, TeamMember.user_id == User.id)
                                  .where(TeamMember.team_id == team_id)).all()
        return dict(rows)


def invitation(app, invitation_id):
    """Return the invitation's stored row as a dict."""
    with app.app_context():
        row = db.session.get(TeamInvitation, invitation_id)
        return {c.name: getattr(row, c.name) for c in TeamInvitation.__table__.columns}


def audit_details(app, action):
    """Return the details of the audit rows of one action, oldest first."""
    with app.app_context():
        return list(db.session.execute(db.select(AuditLog.detail).where(AuditLog.action == action)
                                       .order_by(AuditLog.id)).scalars())


def audit_actions(app):
    """Return the (action, actor_id, target_id) rows of the audit log, oldest first."""
    with app.app_context():
        return [tuple(r) for r in db.session.execute(
            db.select(AuditLog.action, AuditLog.actor_id, AuditLog.target_id).order_by(AuditLog.id)).all()]
