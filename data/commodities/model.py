"""What a commodity declaration holds, as read from commodities/*.toml (data/commodities/load.py checks it)."""
from dataclasses import dataclass, field

# Metrics every commodity derives from its attributes (the serving SQL computes them).
DERIVED_METRICS = ("net_exports", "stocks_to_use_pct")
DERIVED_LABELS = {"net_exports": "Net exports", "stocks_to_use_pct": "Stocks-to-use (%)"}
VOLUME = "volume"


@dataclass(frozen=True)
class Attribute:
    """One PSD attribute as a commodity serves it: id, serving column, labels, unit and how it is totalled."""

    id: int
    metric: str
    label: str
    usda: str
    kind: str
    unit: str
    display_unit: str
    display_factor: float = 1.0
    numerator: str | None = None
    denominator: str | None = None
    scale: float = 1.0

    @property
    def summed(self):
        """Return True when world and regional totals add the countries' values (not a ratio of sums)."""
        return self.numerator is None


@dataclass(frozen=True)
class UnitChoice:
    """A unit users read volumes in: factor converts the commodity's volume unit into it."""

    key: str
    label: str
    factor: float
    text: str = ""
    source: str | None = None


@dataclass(frozen=True)
class Identity:
    """A balance-sheet identity: total = sum of parts, within tolerance units, broken by few country-years."""

    name: str
    total: str
    parts: tuple
    tolerance: float
    max_share: float
    source: str | None = None


@dataclass(frozen=True)
class StocksToUse:
    """Stocks-to-use: 100 x numerator / sum of the use metrics (a country's, and the world's)."""

    numerator: str
    country_use: tuple
    world_use: tuple
    text: str
    source: str


@dataclass(frozen=True)
class CountryYear:
    """One country's marketing year: first and last month, and the source naming it (None: unverified)."""

    iso3: str
    start: str
    end: str
    source: str | None = None


@dataclass(frozen=True)
class MarketingYear:
    """How PSD counts the commodity's years, and the marketing years of the countries recorded."""

    text: str
    source: str
    countries: tuple = ()

    def of(self, iso3):
        """Return the CountryYear of a country, or None when none is recorded."""
        return next((c for c in self.countries if c.iso3 == iso3), None)


@dataclass(frozen=True)
class TradeYear:
    """PSD's common trade year (TY) of a commodity."""

    start: str
    end: str
    text: str
    source: str


@dataclass(frozen=True)
class Fact:
    """A methodology fact and the source that says it."""

    text: str
    source: str


@dataclass(frozen=True)
class TradeFlow:
    """A trade chart choice: its exports, imports and the use its imports are measured against."""

    key: str
    label: str
    exports: str
    imports: str
    use: str


@dataclass(frozen=True)
class Charts:
    """The default series of each chart: lists of metrics (and the trade flows) the dashboards draw."""

    series: dict
    trade: tuple

    def __getitem__(self, key):
        """Return the metrics of the chart key."""
        return self.series[key]


@dataclass(frozen=True)
class Release:
    """How often USDA publishes the commodity: per_year releases, described and sourced."""

    cadence: str
    per_year: int
    text: str
    source: str


@dataclass(frozen=True)
class PriceSeries:
    """A World Bank Pink Sheet series of the commodity: the file's name and unit, shown as display_unit."""

    slug: str
    name: str
    series: str
    code: str | None
    file_unit: str
    display_unit: str
    factor: float
    source: str
    text: str = ""
    description: str = ""  # the World Bank's own definition (the file's Description sheet), for /methodology


@dataclass(frozen=True)
class Commodity:
    """One declared commodity: everything the layers need to load, serve and show it."""

    slug: str
    name: str
    order: int
    code: str
    description: str
    volume_unit: str
    file: str
    attributes: tuple
    regions: tuple
    release: Release
    units: tuple
    default_unit: str
    stocks_to_use: StocksToUse
    identities: tuple
    marketing_year: MarketingYear
    trade_year: TradeYear | None
    facts: tuple
    charts: Charts
    prices: tuple
    demo: dict | None = None
    path: str = ""
    _by_metric: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self):
        self._by_metric.update({a.metric: a for a in self.attributes})

    @property
    def metrics(self):
        """Return the stored metric columns of the commodity, in serving column order."""
        return tuple(a.metric for a in self.attributes)

    @property
    def all_metrics(self):
        """Return the stored and the derived metrics."""
        return self.metrics + DERIVED_METRICS

    @property
    def attribute_ids(self):
        """Return {PSD attribute id: metric} of the commodity."""
        return {a.id: a.metric for a in self.attributes}

    @property
    def labels(self):
        """Return {metric: label} of every metric the commodity serves."""
        return {**{a.metric: a.label for a in self.attributes}, **DERIVED_LABELS}

    def attribute(self, metric):
        """Return the Attribute serving metric (KeyError when the commodity has none)."""
        return self._by_metric[metric]

    def has(self, metric):
        """Return True when the commodity serves metric (stored or derived)."""
        return metric in self._by_metric or metric in DERIVED_METRICS

    def check_metric(self, name):
        """Return name if the commodity serves it, else raise ValueError."""
        if not self.has(name):
            raise ValueError(f"unknown metric {name!r} for {self.slug}")
        return name

    def is_volume(self, metric):
        """Return True when metric is in the volume unit (converted by the unit choices)."""
        return metric in self._by_metric and self._by_metric[metric].kind == VOLUME

    def unit(self, key=None):
        """Return the UnitChoice of key (None: the default)."""
        key = key or self.default_unit
        found = next((u for u in self.units if u.key == key), None)
        if found is None:
            raise ValueError(f"unknown unit {key!r} for {self.slug}; known: {', '.join(u.key for u in self.units)}")
        return found

    def price(self, slug):
        """Return the PriceSeries of slug (KeyError when the commodity has none)."""
        found = next((p for p in self.prices if p.slug == slug), None)
        if found is None:
            raise KeyError(slug)
        return found

    def sources(self):
        """Return every document key the declaration cites, in order of first citation."""
        keys = [u.source for u in self.units] + [self.release.source, self.stocks_to_use.source,
                                                  self.marketing_year.source]
        keys += [c.source for c in self.marketing_year.countries] + [i.source for i in self.identities]
        keys += [self.trade_year.source] if self.trade_year else []
        keys += [f.source for f in self.facts] + [p.source for p in self.prices]
        return list(dict.fromkeys(k for k in keys if k))
