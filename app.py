"""Application factory: Flask server, extensions, blueprints and the Dash app."""
from pathlib import Path

from flask import Flask
from flask_bootstrap import Bootstrap5

import alerts
import auth
import billing
import teams
from teams import notice as team_notice
from alerts import cli as alert_cli
from alerts import metrics as alert_metrics
from alerts import nav as alert_nav
from auth import access, nav
from auth.access import CALLBACK_PATH, PUBLIC, declare_routes
from config import INSTANCE_DIR, Config, under_gunicorn
from data import cli as data_cli
from data.serving import reader as serving
from extensions import cache, csrf, db, limiter, login_manager, mail
from ui import dash_app, dash_internals, metric_labels, response_cache
from web import (api, api_docs, compression, enso_api, health, methodology, metrics, no_data, pipeline, ready, scrape,
                 security, startup, strict_json, timing, unlimited)
from web import db_unavailable
from web import prices_api
from web import limit_store  # noqa: F401  (registers the sqlalchemy:// rate-limit storage before the limiter starts)


def create_app(config=None):
    """Build and return the beanflows Flask app; config overrides settings."""
    server = Flask(__name__, instance_path=str(INSTANCE_DIR))
    Path(server.instance_path).mkdir(parents=True, exist_ok=True)
    server.config.update(Config().as_dict())
    server.config.update(config or {})
    startup.init_app(server)
    no_data.init_app(server)

    metrics.init_app(server)
    timing.init_app(server)
    strict_json.init_app(server)
    db.init_app(server)
    db_unavailable.init_app(server)  # after db: its session teardown runs first
    _init_migrations(server)
    # The hooks these libraries register are named by the step they belong to, never by their own names.
    with pipeline.library_hooks(server, "session and user"):
        login_manager.init_app(server)
    with pipeline.library_hooks(server, "csrf"):
        csrf.init_app(server)
    cache.init_app(server)
    with pipeline.library_hooks(server, "rate limits"):
        limiter.init_app(server)
    mail.init_app(server)
    Bootstrap5(server)
    declare_routes(server, {"static": PUBLIC, "bootstrap.static": PUBLIC})

    serving.init_app(server)
    # What acts on a new release and what the navbar adds: features above data/ and auth/, given explicitly.
    data_cli.init_app(server, after_release=[alert_cli.run_after_release], after_prices=[alert_cli.run_after_prices])
    nav.init_app(server, items=[alert_nav.navbar_items], notices=[team_notice.notices])
    server.register_blueprint(health.bp)
    server.register_blueprint(ready.bp)
    server.register_blueprint(api.bp)
    server.register_blueprint(enso_api.bp)
    server.register_blueprint(prices_api.bp)
    server.register_blueprint(methodology.bp)
    server.register_blueprint(api_docs.bp)
    server.register_blueprint(scrape.bp)
    scrape.add_state(server, alert_metrics.collect)
    auth.init_app(server)
    billing.init_app(server)
    teams.init_app(server)
    alerts.init_app(server)
    dash = dash_app.mount(server)
    metrics.name_dash(server, page=metric_labels.page_label, callback=metric_labels.callback_label)
    unlimited.declare(server, CALLBACK_PATH)  # callbacks: behind the gate, no limit of their own
    compression.init_app(server, files=dash_app.static_files())
    with pipeline.library_hooks(server, "security headers"):
        security.init_app(server, dash)
    response_cache.init_app(server)
    access.check(server)  # every route and Dash callback declares its access level, or no start
    # Every hook above in its declared place (web/pipeline.py), or no start; and none registered since.
    pipeline.install(server, provided={"dash setup": {"before": dash_internals.SETUP_HOOKS}})
    pipeline.verify(server)
    return server


def _init_migrations(server):
    """Give the `flask db` commands (Flask-Migrate) their setup, except in gunicorn, which never migrates."""
    # Flask-Migrate and Alembic would hold 11 MB in every worker for nothing.
    if under_gunicorn():
        return
    from flask_migrate import Migrate

    Migrate(server, db, directory=str(Path(__file__).parent / "migrations"))
