"""The request pipeline runs as declared, and the app refuses to start when it would not."""
import dataclasses

import pytest

from tests.conftest import base_config
from web import pipeline


def _names(hooks):
    return [pipeline.hook_name(h) for h in hooks]


def _declared(app, kind, provided):
    """Return the hook names of kind in the order they should run: each step's library hooks, then its own."""
    import registry

    steps = pipeline.STEPS if kind == "before" else tuple(reversed(pipeline.STEPS))
    names = []
    for step in steps:
        names += [pipeline.hook_name(h) for k, h in registry.of(app).library_hooks.get(step.name, []) if k == kind]
        names += provided.get(step.name, {}).get(kind, ()) if step.provided else getattr(step, kind)
    return names


def test_hooks_run_in_the_declared_order(app, client):
    from ui import dash_internals

    provided = {"dash setup": {"before": dash_internals.SETUP_HOOKS}}
    assert _names(app.before_request_funcs[None]) == _declared(app, "before", provided)
    # Flask runs after-request hooks last-registered first.
    assert _names(reversed(app.after_request_funcs[None])) == _declared(app, "after", provided)
    assert _names(app.after_request_funcs[None])[-1] == "ui.response_cache:store"  # runs first
    for path in ("/", "/dashboards/overview", "/_dash-layout", "/healthz", "/login"):
        client.get(path)
    pipeline.verify(app)  # nothing (Dash's first requests included) changed the lists while serving


def _moved(name, before):
    """Return the declared steps with step name moved just before step before."""
    steps = [s for s in pipeline.STEPS if s.name != name]
    index = next(i for i, s in enumerate(steps) if s.name == before)
    return tuple(steps[:index] + [next(s for s in pipeline.STEPS if s.name == name)] + steps[index:])


@pytest.mark.parametrize("name, before, complaint", [
    ("response cache", "access gate", "'response cache' must come after 'access gate'"),
    ("response cache", "csrf", "'response cache' must come after 'csrf'"),
    ("compression", "timing", "'compression' must come after 'timing'"),
    ("access gate", "session and user", "'access gate' must come after 'session and user'"),
])
def test_moving_a_step_stops_the_app_from_starting(tmp_path, real_data_dir, monkeypatch, name, before, complaint):
    from app import create_app

    monkeypatch.setattr(pipeline, "STEPS", _moved(name, before))
    with pytest.raises(pipeline.PipelineError) as refused:
        create_app(base_config(tmp_path, real_data_dir))
    assert complaint in str(refused.value)


def test_a_hook_no_step_declares_stops_the_app_from_starting(tmp_path, real_data_dir, monkeypatch):
    from app import create_app
    from ui import response_cache

    original = response_cache.init_app

    def with_stray(app):
        original(app)
        app.before_request(lambda: None)  # e.g. an extension added later, or a module's own hook

    monkeypatch.setattr(response_cache, "init_app", with_stray)
    with pytest.raises(pipeline.PipelineError, match="registered outside the pipeline"):
        create_app(base_config(tmp_path, real_data_dir))


@pytest.mark.parametrize("module, function, complaint", [
    ("web.timing", "init_app", "web.timing:start is not registered"),
    ("extensions", "csrf.init_app", "step 'csrf': Flask-WTF's CSRFProtect registered no hooks"),
    ("web.strict_json", "init_app", "not read strictly"),
])
def test_a_missing_step_stops_the_app_from_starting(tmp_path, real_data_dir, monkeypatch, module, function,
                                                    complaint):
    import importlib

    from app import create_app

    target = importlib.import_module(module)
    owner, _, attribute = function.rpartition(".")
    monkeypatch.setattr(getattr(target, owner) if owner else target, attribute, lambda *a, **k: None)
    with pytest.raises(pipeline.PipelineError) as refused:
        create_app(base_config(tmp_path, real_data_dir))
    assert complaint in str(refused.value)


def test_a_remembering_session_interface_stops_the_app_from_starting(tmp_path, real_data_dir, monkeypatch):
    import auth
    from flask.sessions import SecureCookieSessionInterface

    from app import create_app

    class Remembering(SecureCookieSessionInterface):
        """A session interface that could keep verified cookies between requests."""

    original = auth.init_app

    def init_app(app):
        original(app)
        app.session_interface = Remembering()

    monkeypatch.setattr(auth, "init_app", init_app)
    with pytest.raises(pipeline.PipelineError, match="not Flask's signed cookies"):
        create_app(base_config(tmp_path, real_data_dir))


def test_a_step_needing_an_undeclared_one_is_refused():
    steps = tuple(dataclasses.replace(s, inside=(*s.inside, "magic")) if s.name == "access gate" else s
                  for s in pipeline.STEPS)
    assert pipeline.order_problems(steps) == ["step 'access gate' needs step 'magic', which is not declared"]
    assert pipeline.order_problems(pipeline.STEPS) == []
