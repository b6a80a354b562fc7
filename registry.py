"""What one app builds at start: one typed slot per concern, read by attribute (docs/architecture.md#one-app-its-registry).

Each slot is filled by the module named beside it, at start; a lower layer that needs something of a higher one
(the navbar's feature items, the jobs after a release, the metrics' labels) is given it by app.py, explicitly.
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from flask import Flask, current_app

if TYPE_CHECKING:  # types only: the registry imports no layer at run time
    from dash import Dash

    from auth.access import Policy
    from auth.usage import UsageBuffer
    from data.commodities import Catalog
    from data.serving.reader import ServingFile
    from web.compression import Compression
    from web.metrics import Labels

KEY = "beanflows"  # the registry's one entry in app.extensions


@dataclass(eq=False)
class Registry:
    """One app's start-time objects: the access policy, the serving file, the Dash app and what features add."""

    # auth/access.py: the rules of routes that libraries register, of Dash callbacks, and how Dash requests read.
    access: Policy | None = None
    # auth/usage.py: the worker's buffer of usage events; the graphs whose PNG downloads are counted.
    usage: UsageBuffer | None = None
    png_charts: dict[str, str] = field(default_factory=dict)
    # auth/oidc.py: {provider name: (its settings, when read, the Authlib client)}, read again after an hour.
    oidc_clients: dict[str, tuple[Any, float, Any]] = field(default_factory=dict)
    # teams/sso.py: who a team's own provider may sign in and how they join (refusal(), join()), for auth/oidc_routes.py.
    team_sign_in: Any = None
    # auth/nav.py: fn(user) -> navbar items that features add (alerts), given by app.py.
    nav_items: list[Callable[[Any], list]] = field(default_factory=list)
    # auth/nav.py: fn(user) -> notices under the navbar (teams' over seats), given by app.py.
    nav_notices: list[Callable[[Any], list]] = field(default_factory=list)
    # billing/client.py: ((secret key, API base), the StripeClient built for them).
    stripe: tuple[tuple[str, str | None], Any] | None = None
    # data/serving/reader.py: the serving file this app's workers read.
    serving: ServingFile | None = None
    # data/commodities: the commodities declared for this app (checked at start).
    commodities: Catalog | None = None
    # data/cli/psd.py: fn(summary of a commodity's new release) run after each load the CLI reports (alerts),
    # given by app.py.
    after_release: list[Callable[[dict], None]] = field(default_factory=list)
    # data/cli/prices.py: fn(summary of a new Pink Sheet edition) run after each load the CLI reports (price alerts),
    # given by app.py.
    after_prices: list[Callable[[dict], None]] = field(default_factory=list)
    # ui/dash_app.py: the Dash app mounted on this server; ui/dash_internals.py: the pages it routes.
    dash: Dash | None = None
    dash_pages: OrderedDict[str, dict] = field(default_factory=OrderedDict)
    # ui/response_cache.py: {chart callback key: fn(input values) -> key parts, None when invalid}.
    chart_keys: dict[str, Callable[[list], Any]] = field(default_factory=dict)
    # web/metrics.py: how Dash page and callback requests are labelled (ui/metric_labels.py), given by app.py.
    metric_labels: Labels | None = None
    # web/scrape.py: more fn() -> metric families read when /metrics is scraped (alerts), given by app.py.
    metric_state: list[Callable[[], Any]] = field(default_factory=list)
    # web/compression.py: the compressed bodies kept per worker and the routes that send files.
    compression: Compression | None = None
    # web/pipeline.py: [(kind, hook)] each library registered, by step (library_hooks); the lists as installed.
    library_hooks: dict[str, list[tuple[str, Callable]]] = field(default_factory=dict)
    pipeline: dict[str, list] | None = None
    # web/unlimited.py: endpoints no rate limit applies to.
    unlimited: set[str] = field(default_factory=set)


def of(app: Flask) -> Registry:
    """Return app's registry, made empty the first time."""
    found = app.extensions.get(KEY)
    if found is None:
        found = app.extensions[KEY] = Registry()
    return found


def current() -> Registry:
    """Return the registry of the app handling the current request or command."""
    return of(current_app)
