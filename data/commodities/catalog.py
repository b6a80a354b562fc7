"""The declared commodities of a deployment, loaded once from their folders and checked together."""
from functools import lru_cache
from pathlib import Path

from data.commodities import model
from data.commodities.load import read_commodity, read_dictionary
from data.commodities.reader import DeclarationError, UnknownCommodity

SHIPPED = Path(__file__).resolve().parents[2] / "commodities"
DICTIONARY = "_attributes.toml"


class Catalog:
    """The declared commodities in order (the first is the default) and the union of what they serve."""

    def __init__(self, commodities, dictionary):
        self.commodities = tuple(sorted(commodities, key=lambda c: (c.order, c.slug)))
        self.dictionary = dictionary
        self._keys = {**{c.slug: c for c in self.commodities}, **{c.code: c for c in self.commodities}}
        used = {a.metric for c in self.commodities for a in c.attributes}
        self.base_metrics = tuple(spec["metric"] for spec in dictionary.values() if spec["metric"] in used)
        self.metrics = self.base_metrics + model.DERIVED_METRICS
        self.attribute_metrics = {i: spec["metric"] for i, spec in dictionary.items() if spec["metric"] in used}
        self.labels = {**{spec["metric"]: spec["label"] for spec in dictionary.values() if spec["metric"] in used},
                       **model.DERIVED_LABELS}

    def __iter__(self):
        return iter(self.commodities)

    @property
    def default(self):
        """Return the first declared commodity: what a request naming none means."""
        return self.commodities[0]

    @property
    def slugs(self):
        """Return the slugs in order."""
        return tuple(c.slug for c in self.commodities)

    @property
    def codes(self):
        """Return the PSD codes in order."""
        return tuple(c.code for c in self.commodities)

    def get(self, key=None):
        """Return the commodity of a slug or PSD code (any case; None: the default); LookupError when unknown."""
        if key is None:
            return self.default
        found = self._keys.get(str(key).strip().lower())
        if found is None:
            raise UnknownCommodity(f"unknown commodity {str(key)[:40]!r}; known: {', '.join(self.slugs)}")
        return found

    def code(self, key=None):
        """Return the PSD code of a slug or code (None: the default commodity's)."""
        return self.get(key).code

    def check_metric(self, name):
        """Return name if some declared commodity serves it, else raise ValueError."""
        if name not in self.metrics:
            raise ValueError(f"unknown metric {name!r}")
        return name

    def units(self):
        """Return every PSD Unit_Description a declared attribute may carry."""
        return frozenset(a.unit for c in self.commodities for a in c.attributes)

    def rules(self, metric):
        """Return [(codes, Attribute)]: how the commodities serving metric total it (one entry per distinct rule)."""
        found = {}
        for commodity in self.commodities:
            if metric in commodity.metrics:
                attribute = commodity.attribute(metric)
                key = (attribute.numerator, attribute.denominator, attribute.scale)
                found.setdefault(key, ([], attribute))[0].append(commodity.code)
        return [(tuple(codes), attribute) for codes, attribute in found.values()]


def _dictionary(folders):
    """Return the shipped attribute dictionary merged with any other folder's (which may only add ids)."""
    dictionary = dict(read_dictionary(SHIPPED / DICTIONARY))
    for folder in folders:
        path = Path(folder) / DICTIONARY
        if path.resolve() == (SHIPPED / DICTIONARY).resolve() or not path.exists():
            continue
        for attr_id, spec in read_dictionary(path).items():
            if attr_id in dictionary and dictionary[attr_id] != spec:
                raise DeclarationError(f"{path}: attribute {attr_id} differs from the shipped dictionary")
            dictionary[attr_id] = spec
    metrics = [spec["metric"] for spec in dictionary.values()]
    if len(set(metrics)) != len(metrics):
        raise DeclarationError(f"{DICTIONARY}: a metric name is given to two attributes")
    return dictionary


@lru_cache(maxsize=16)
def load(folders=(str(SHIPPED),)):
    """Return the Catalog of every declaration in folders (a tuple of paths); raise DeclarationError."""
    dictionary = _dictionary(folders)
    found = []
    for folder in folders:
        paths = sorted(p for p in Path(folder).glob("*.toml") if not p.name.startswith("_"))
        if not Path(folder).is_dir():
            raise DeclarationError(f"commodity declarations folder {folder} does not exist")
        found += [read_commodity(path, dictionary) for path in paths]
    if not found:
        raise DeclarationError(f"no commodity is declared in {', '.join(map(str, folders))}")
    for attribute in ("slug", "code"):
        seen = {}
        for commodity in found:
            other = seen.setdefault(getattr(commodity, attribute), commodity)
            if other is not commodity:
                raise DeclarationError(f"commodity {commodity.slug!r} ({Path(commodity.path).name}): field "
                                       f"{'psd.code' if attribute == 'code' else 'slug'!r}: "
                                       f"{getattr(commodity, attribute)!r} is also the code of {other.slug!r}")
    return Catalog(found, dictionary)
