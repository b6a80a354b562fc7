"""The request hooks each library registers are of the kinds its pipeline step expects (web/pipeline.py).

The pipeline never names a library's hooks (their names are private); it takes what the library's set-up
registers. When a new version registers other kinds or more hooks, the test of that library fails here, by name,
and says where to look, instead of the app failing at start.
"""
import pytest
from flask import Flask

import registry
from web import pipeline

STEPS = {step.name: step for step in pipeline.STEPS}


def _login(app):
    from flask_login import LoginManager

    LoginManager().init_app(app)


def _csrf(app):
    from flask_wtf.csrf import CSRFProtect

    CSRFProtect().init_app(app)


def _limiter(app):
    from flask_limiter import Limiter
    from flask_limiter.util import get_remote_address

    Limiter(key_func=get_remote_address, storage_uri="memory://").init_app(app)


def _talisman(app):
    from flask_talisman import Talisman

    Talisman(app, force_https=False)


SET_UP = {"session and user": (_login, "flask_login"), "csrf": (_csrf, "flask_wtf"),
          "rate limits": (_limiter, "flask_limiter"), "security headers": (_talisman, "flask_talisman")}


@pytest.mark.parametrize("step", sorted(SET_UP))
def test_each_library_registers_the_hooks_its_step_expects(step):
    set_up, package = SET_UP[step]
    app = Flask(__name__)
    app.config["SECRET_KEY"] = "test"
    with pipeline.library_hooks(app, step):
        set_up(app)
    taken = registry.of(app).library_hooks[step]
    kinds = tuple(kind for kind, _ in taken)
    assert kinds == STEPS[step].registers, (
        f"{STEPS[step].library} now registers {kinds}, not {STEPS[step].registers}: read what its new version's "
        f"hooks do and update step {step!r} in web/pipeline.py (or pin the version that worked)")
    assert all(pipeline.hook_name(hook).startswith(package) for _, hook in taken), [
        pipeline.hook_name(hook) for _, hook in taken]


def test_hooks_a_library_registers_outside_the_block_are_not_its_steps():
    app = Flask(__name__)
    app.config["SECRET_KEY"] = "test"
    app.before_request(lambda: None)  # someone else's, before
    with pipeline.library_hooks(app, "csrf"):
        _csrf(app)
    _login(app)  # after: not the csrf step's
    assert [kind for kind, _ in registry.of(app).library_hooks["csrf"]] == ["before"]


def test_a_library_registering_other_kinds_stops_the_app_from_starting(tmp_path, monkeypatch):
    from app import create_app
    from extensions import csrf
    from tests.conftest import base_config

    original = csrf.init_app

    def init_app(app):
        original(app)
        app.after_request(lambda response: response)  # a new version's extra hook

    monkeypatch.setattr(csrf, "init_app", init_app)
    with pytest.raises(pipeline.PipelineError, match=r"step 'csrf': Flask-WTF's CSRFProtect registered \('before', "
                                                     r"'after'\), the pipeline expects \('before',\)"):
        create_app(base_config(tmp_path, tmp_path / "data"))
