"""/views: save the dashboard view in front of the user, open, rename and delete it."""
from typing import NamedTuple
from urllib.parse import parse_qsl, urlencode, urlsplit

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from alerts import sharing
from alerts.evaluate import serving_connection
from alerts.forms import RenameViewForm, SaveViewForm, ShareViewForm
from auth import usage
from auth.access import SUBSCRIBER, requires
from auth.forms import ActionForm
from data import commodities
from data.commodities import UnknownCommodity
from data.commodities.site import default, served_commodity
from data.queries import alerts as alert_sql
from extensions import db
from models.alerts import SavedView

bp = Blueprint("views", __name__, template_folder="templates")
DASHBOARDS = "/dashboards/"
MAX_PARAMS = 20


class NotADashboard(ValueError):
    """A URL that is not a same-site dashboard view."""


def dashboard_path(url):
    """Return (path, [(key, value)]) of a same-site /dashboards/ URL, else raise NotADashboard."""
    parts = urlsplit(url or "")
    if parts.scheme or parts.netloc or "\\" in url or not parts.path.startswith(DASHBOARDS) or "//" in parts.path \
            or ".." in parts.path.split("/"):
        raise NotADashboard("Only dashboard views of this site can be saved.")
    query = parse_qsl(parts.query)
    if len(query) > MAX_PARAMS:
        raise NotADashboard("This view has too many filters to save.")
    return parts.path, query


def _commodity(query):
    """Return the served commodity a dashboard query names (commodity=<slug>; absent: the site's first)."""
    try:
        return served_commodity(dict(query).get("commodity"))
    except UnknownCommodity as exc:
        raise NotADashboard(f"This view is not of a commodity this site serves ({exc}).") from None


def _pinned_release(asked, commodity_code):
    """Return the release a pinned view keeps: the commodity's one in its URL when served, else its latest."""
    with serving_connection() as con:
        known = {row[0] for row in con.execute("SELECT release_id FROM releases WHERE commodity_code = ?",
                                               [commodity_code]).fetchall()}
        return asked if asked in known else alert_sql.latest_release(con, commodity_code)


class Listed(NamedTuple):
    """A saved view as its lists show it: the row, its author's email, whose it is and who may change it."""

    view: SavedView
    author: str
    mine: bool
    manageable: bool


def saved_views(user):
    """Return the views a user sees, their own and those shared with their team, newest first (none when anonymous)."""
    if not getattr(user, "is_authenticated", False):
        return []
    manageable = sharing.manager(user.id)
    return [Listed(view, author, view.user_id == user.id, manageable(view))
            for view, author in sharing.visible_views(user.id)]


def view_url(view):
    """Return the URL a saved view opens: its path and filters, its commodity (when not the site's first: a URL
    without one means that), pinned to its release when it has one."""
    path, query = dashboard_path(view.path)
    query = [(k, v) for k, v in query if k != "release"]
    if "commodity" not in dict(query) and view.commodity_code and view.commodity_code != default().code:
        query.append(("commodity", commodities.current().get(view.commodity_code).slug))
    if view.release_id:
        query.append(("release", view.release_id))
    return path + ("?" + urlencode(query, safe=",") if query else "")


@bp.post("/views")
@requires(SUBSCRIBER)
def save():
    """Save the posted dashboard URL under a name, pinned to its (or the latest) release or following the latest."""
    form = SaveViewForm()
    try:
        if not form.validate_on_submit():
            raise NotADashboard("; ".join(e for errors in form.errors.values() for e in errors))
        path, query = dashboard_path(form.url.data)
        commodity = _commodity(query)
    except NotADashboard as exc:
        return render_template("auth/error.html", title="View not saved", message=str(exc)), 400
    release = _pinned_release(dict(query).get("release"), commodity.code) if form.pin.data else None
    rest = [(k, v) for k, v in query if k != "release"]
    view = SavedView(user_id=current_user.id, name=form.name.data.strip(), release_id=release,
                     commodity_code=commodity.code,
                     team_id=sharing.share_target(current_user.id, form.share.data),
                     path=path + ("?" + urlencode(rest, safe=",") if rest else ""))
    db.session.add(view)
    db.session.commit()
    usage.record(usage.VIEW_SAVED, path)
    flash(f"Saved view “{view.name}”.", "success")
    return redirect(view_url(view), 303)


@bp.get("/views/<int:view_id>")
@requires(SUBSCRIBER)
def open_view(view_id):
    """Open a saved view."""
    return redirect(view_url(sharing.seen(SavedView, view_id)), 303)


@bp.post("/views/<int:view_id>/rename")
@requires(SUBSCRIBER)
def rename(view_id):
    """Rename a saved view (its author, or a team owner or admin when it is shared)."""
    view = sharing.seen(SavedView, view_id, manage=True, what="view")
    form = RenameViewForm()
    if form.validate_on_submit():
        view.name = form.name.data.strip()
        db.session.commit()
    else:
        flash("Give the view a name of at most 80 characters.", "danger")
    return redirect(url_for("auth.account"), 303)


@bp.post("/views/<int:view_id>/delete")
@requires(SUBSCRIBER)
def delete(view_id):
    """Delete a saved view (its author, or a team owner or admin when it is shared)."""
    view = sharing.seen(SavedView, view_id, manage=True, what="view")
    if ActionForm().validate_on_submit():
        db.session.delete(view)
        db.session.commit()
    return redirect(url_for("auth.account"), 303)


@bp.post("/views/<int:view_id>/share")
@requires(SUBSCRIBER)
def share(view_id):
    """Share one of the author's views with their team, or make it private again."""
    view = sharing.seen(SavedView, view_id)
    if view.user_id != current_user.id:
        sharing.refuse("Only its author shares a view or makes it private.")
    form = ShareViewForm()
    if form.validate_on_submit():
        view.team_id = sharing.share_target(current_user.id, form.share.data)
        db.session.commit()
        flash(f"“{view.name}” is {'shared with your team' if view.team_id else 'private'}.", "success")
    return redirect(url_for("auth.account", _anchor="saved-views"), 303)


def template_context():
    """Give templates the saved views and rename form of the current user (the account page lists them)."""
    return {"saved_views": lambda: saved_views(current_user), "rename_view_form": RenameViewForm,
            "view_url": view_url,
            "in_team": lambda: getattr(current_user, "is_authenticated", False) and sharing.team_id_of(current_user.id)}
