"""What every query resolves first: the commodity asked for (slug, PSD code or None), its allow-listed metrics."""
from data import commodities
from data.serving.as_of import scoped


def commodity(key=None):
    """Return the declared Commodity of a slug or PSD code (None: the default); UnknownCommodity otherwise."""
    return commodities.current().get(key)


def code(key=None):
    """Return the PSD code of a slug or code (None: the default commodity's)."""
    return commodity(key).code


def metric(name, key=None):
    """Return name when the commodity serves it (an allow-listed column), else raise ValueError."""
    return commodity(key).check_metric(name)


def metric_list(metrics, key=None):
    """Return the commodity's validated metric columns joined for a SELECT list."""
    names = [metric(m, key) for m in metrics]
    if not names:
        raise ValueError("at least one metric is required")
    return ", ".join(names)


def stored(name, key=None):
    """Return name if it is a metric stored for the commodity (or net exports), else raise ValueError."""
    if name not in commodity(key).metrics and name != "net_exports":
        raise ValueError(f"{name!r} cannot be summed or shared")
    return name


def summed(name, key=None):
    """Return True when the commodity's world total of name is a sum, so that a country's share means something."""
    found = commodity(key)
    return name in found.metrics and found.attribute(name).summed


def frame(con, sql, params=(), release=None):
    """Run sql with bound params on con (as release published it, if given) and return a DataFrame."""
    return con.execute(*scoped(sql, params, release)).df()
