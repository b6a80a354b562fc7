"""The request pipeline: every before- and after-request step, declared once, in order, and checked at start.

Steps are listed outermost first. Before a view, each step's before hooks run in list order; after it, each
step's after hooks run in reverse list order, so an outer step encloses every inner one (timing counts
compression; the response cache answers only inside the gate and CSRF). Modules and extensions register their
hooks with Flask as usual; install() then puts Flask's hook lists in this order, and refuses to start when a
declared hook is missing, a hook is registered that no step declares, or a step sits outside one it needs.

Our own hooks are named here ('module:qualname'). A library's (Flask-Login, Flask-WTF, Flask-Limiter, Talisman)
are never named, their names being private: app.py wraps the library's set-up in library_hooks(app, step), which
takes whatever it registered as that step's, and install() checks they are of the kinds the step expects
(tests/web/test_library_hooks.py says which library changed when one does). Dash's, named by the Dash adapter
(ui/dash_internals.py), are given at install().
"""
from contextlib import contextmanager
from dataclasses import dataclass

from flask.sessions import SecureCookieSessionInterface

import registry
from web.strict_json import StrictJSONProvider


class PipelineError(RuntimeError):
    """The app's request hooks do not match the declared pipeline."""


KINDS = ("before", "after", "teardown")


@dataclass(frozen=True)
class Step:
    """One step: our hooks as 'module:qualname', a library's by the kinds it registers, what it runs inside of.

    registers: the kinds of the hooks `library` registers in its set-up, in order (library_hooks takes them).
    """

    name: str
    before: tuple = ()
    after: tuple = ()
    teardown: tuple = ()
    inside: tuple = ()
    check: object = None  # fn(app) -> a problem (str) or None
    provided: bool = False  # its hooks are named at install by the module that owns them
    library: str = ""
    registers: tuple = ()


def _trusted_hosts(app):
    """Flask checks the Host header against TRUSTED_HOSTS while matching the URL, before any hook."""
    return None if app.config.get("TRUSTED_HOSTS") else "TRUSTED_HOSTS is empty: any Host would be served"


def _bounded(app):
    """Bodies are limited in size and read as standard JSON only."""
    if not app.config.get("MAX_CONTENT_LENGTH"):
        return "MAX_CONTENT_LENGTH is not set: request bodies are unbounded"
    if not isinstance(app.json, StrictJSONProvider):
        return "request JSON is not read strictly (web/strict_json.py)"
    return None


def _signed_sessions(app):
    """Flask opens the signed session cookie before any hook; verified on every request, never remembered."""
    if type(app.session_interface) is not SecureCookieSessionInterface:
        return f"the session interface is {type(app.session_interface).__name__}, not Flask's signed cookies"
    return None


STEPS = (
    Step("trusted host", check=_trusted_hosts),
    Step("request id", before=("web.logs:_start",), after=("web.logs:_finish",)),
    Step("metrics", before=("web.metrics:start",), after=("web.metrics:record",), inside=("request id",)),
    Step("timing", before=("web.timing:start",), after=("web.timing:finish",), inside=("request id",)),
    Step("size bounds", before=("web.bounds:_check_query_length",), inside=("request id",), check=_bounded),
    Step("dash setup", provided=True, inside=("size bounds",)),
    # Flask-Login: the remember cookie, after the view (the session and user load lazily, on first use).
    Step("session and user", check=_signed_sessions, library="Flask-Login's LoginManager", registers=("after",)),
    Step("csrf", after=("ui.dash_app:_set_csrf_cookie",), inside=("size bounds", "session and user"),
         library="Flask-WTF's CSRFProtect", registers=("before",)),
    Step("rate limits", inside=("request id",), library="Flask-Limiter's Limiter",
         registers=("before", "after", "teardown")),
    Step("access gate", before=("auth.gate:check_request",),
         inside=("size bounds", "dash setup", "session and user", "csrf")),
    # Talisman: https redirect and the CSP nonce before the view, the headers after it.
    Step("security headers", inside=("request id",), library="flask-talisman's Talisman",
         registers=("before", "before", "after")),
    Step("compression", after=("web.compression:compress",), inside=("timing",)),
    Step("page status", after=("ui.not_found:status",), inside=("compression",)),
    Step("response cache", before=("ui.response_cache:serve_cached",), after=("ui.response_cache:store",),
         inside=("access gate", "csrf", "compression")),
)


def hook_name(hook):
    """Return 'module:qualname' of a hook (a function, bound method or functools.partial)."""
    function = getattr(hook, "func", hook)
    function = getattr(function, "__func__", function)
    return f"{getattr(function, '__module__', '?')}:{getattr(function, '__qualname__', repr(function))}"


def order_problems(steps):
    """Return what is wrong with the order of steps: a step listed before one it must run inside of."""
    position = {step.name: i for i, step in enumerate(steps)}
    problems = []
    for i, step in enumerate(steps):
        for outer in step.inside:
            if outer not in position:
                problems.append(f"step {step.name!r} needs step {outer!r}, which is not declared")
            elif position[outer] > i:
                problems.append(f"step {step.name!r} must come after {outer!r} (it runs inside it)")
    return problems


def _take(registered, name, where, problems):
    """Remove and return the hook called name from registered, or note that it is missing."""
    for i, hook in enumerate(registered):
        if hook_name(hook) == name:
            return registered.pop(i)
    problems.append(f"{where}: {name} is not registered")
    return None


@contextmanager
def library_hooks(app, step):
    """Take the request hooks a library registers on app in the block as step's (their names are the library's)."""
    before = {kind: {id(hook) for hook in getattr(app, f"{kind}_request_funcs").get(None, [])} for kind in KINDS}
    yield
    taken = registry.of(app).library_hooks.setdefault(step, [])
    for kind in KINDS:
        taken += [(kind, hook) for hook in getattr(app, f"{kind}_request_funcs").get(None, [])
                  if id(hook) not in before[kind]]


def _library(app, step, registered, problems):
    """Remove and return {kind: [hook]} of what step's library registered, noting kinds it should not have."""
    taken = registry.of(app).library_hooks.get(step.name, [])
    kinds = tuple(kind for kind, _ in taken)
    if kinds != step.registers:
        problems.append(f"step {step.name!r}: {step.library} registered {kinds or 'no hooks'}, the pipeline expects "
                        f"{step.registers} (a new version? tests/web/test_library_hooks.py)")
    found = {kind: [] for kind in KINDS}
    for kind, hook in taken:
        position = next((i for i, h in enumerate(registered[kind]) if h is hook), None)
        if position is not None:
            found[kind].append(registered[kind].pop(position))
    return found


def install(app, provided=None, steps=None):
    """Put app's request hooks in the declared order; raise PipelineError on anything undeclared or missing."""
    steps = STEPS if steps is None else steps
    provided = provided or {}
    problems = order_problems(steps)
    registered = {kind: list(getattr(app, f"{kind}_request_funcs").get(None, [])) for kind in KINDS}
    groups = {kind: [] for kind in KINDS}  # per step, its hooks in the order they run
    for step in steps:
        if step.check is not None and (problem := step.check(app)):
            problems.append(f"step {step.name!r}: {problem}")
        library = _library(app, step, registered, problems) if step.library else {}
        for kind, group in groups.items():
            names = provided.get(step.name, {}).get(kind, ()) if step.provided else getattr(step, kind)
            hooks = [_take(registered[kind], name, f"step {step.name!r} {kind} hook", problems) for name in names]
            group.append(library.get(kind, []) + [hook for hook in hooks if hook is not None])
    for kind, rest in registered.items():
        problems += [f"{kind}-request hook {hook_name(h)} is registered outside the pipeline (web/pipeline.py)"
                     for h in rest]
        problems += [f"{kind}-request hooks of blueprint {bp!r} run outside the pipeline"
                     for bp, hooks in getattr(app, f"{kind}_request_funcs").items() if bp is not None and hooks]
    if problems:
        raise PipelineError("the request pipeline does not start:\n  " + "\n  ".join(problems))
    app.before_request_funcs[None] = [hook for group in groups["before"] for hook in group]
    # After a view, inner steps run first; Flask runs after and teardown hooks last-registered first.
    for kind in ("after", "teardown"):
        runs = [hook for group in reversed(groups[kind]) for hook in group]
        getattr(app, f"{kind}_request_funcs")[None] = list(reversed(runs))
    registry.of(app).pipeline = {kind: list(getattr(app, f"{kind}_request_funcs")[None]) for kind in KINDS}


def verify(app):
    """Raise PipelineError when app's hook lists changed since install (something registered a hook late)."""
    installed = registry.of(app).pipeline
    if installed is None:
        raise PipelineError("the request pipeline was never installed")
    for kind, hooks in installed.items():
        if list(getattr(app, f"{kind}_request_funcs").get(None, [])) != hooks:
            raise PipelineError(f"{kind}-request hooks changed after start")
