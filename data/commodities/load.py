"""Read commodity declarations (TOML) into Commodity records, stopping at the first field that is missing or wrong."""
import tomllib
from pathlib import Path

from data.commodities import model, sections
from data.commodities.reader import (GROUPINGS, KINDS, PSD_CODE, SLUG, TOP_KEYS, TRADE_YEAR_ATTRIBUTES,
                                     DeclarationError, Reader)


def read_dictionary(path):
    """Return {attribute id: definition dict} of the shared PSD attribute dictionary."""
    try:
        raw = tomllib.loads(Path(path).read_text())
    except tomllib.TOMLDecodeError as exc:
        raise DeclarationError(f"{Path(path).name}: not valid TOML ({exc})") from exc
    found = {}
    for key, spec in raw.items():
        where = f"{Path(path).name} [{key}]"
        if not key.isdigit() or not isinstance(spec, dict):
            raise DeclarationError(f"{where}: expected a table per PSD attribute id")
        for name in ("metric", "label", "usda", "kind"):
            if not isinstance(spec.get(name), str) or not spec[name]:
                raise DeclarationError(f"{where}: field {name!r}: missing")
        if spec["kind"] not in KINDS:
            raise DeclarationError(f"{where}: field 'kind': {spec['kind']!r} is not one of {', '.join(KINDS)}")
        if spec["kind"] != model.VOLUME and not (spec.get("unit") and spec.get("display_unit")):
            raise DeclarationError(f"{where}: a {spec['kind']} attribute needs 'unit' and 'display_unit'")
        found[int(key)] = spec
    metrics = [spec["metric"] for spec in found.values()]
    if len(set(metrics)) != len(metrics):
        raise DeclarationError(f"{Path(path).name}: a metric name is given to two attributes")
    return found


def read_commodity(path, dictionary):
    """Return the Commodity declared in path; raise DeclarationError naming the first bad field."""
    try:
        data = tomllib.loads(Path(path).read_text())
    except tomllib.TOMLDecodeError as exc:
        raise DeclarationError(f"commodity file {Path(path).name}: not valid TOML ({exc})") from exc
    r = Reader(path, data)
    unknown = sorted(set(data) - TOP_KEYS)
    if unknown:
        r.fail(unknown[0], "not a declaration field")
    slug = r.get("slug", str)
    if not SLUG.match(slug):
        r.fail("slug", f"{slug!r} is not a lower-case slug")
    if Path(path).stem != slug.replace("-", "_"):
        r.fail("slug", f"{slug!r} does not match the file name {Path(path).name}")
    code = r.get("psd.code", str)
    if not PSD_CODE.match(code):
        r.fail("psd.code", f"{code!r} is not a 7-digit PSD commodity code")
    volume_unit = r.get("psd.volume_unit", str)
    attributes = _attributes(r, dictionary, volume_unit)
    metrics = {a.metric for a in attributes}
    has = lambda metric: metric in metrics or metric in model.DERIVED_METRICS  # noqa: E731

    def metric(field, name):
        if not isinstance(name, str) or not has(name):
            r.fail(field, f"{name!r} is not a metric of this commodity")
        return name

    regions = tuple(r.get("regions", list))
    for grouping in regions:
        if grouping not in GROUPINGS:
            r.fail("regions", f"{grouping!r} is not one of {', '.join(GROUPINGS)}")
    ids = {a.id for a in attributes}
    if ids & TRADE_YEAR_ATTRIBUTES and "trade_year" not in data:
        r.fail("trade_year", "missing, but trade-year (TY) attributes are declared")
    return model.Commodity(
        slug=slug, name=r.get("name", str), order=r.get("order", int), code=code,
        description=r.get("psd.description", str), volume_unit=volume_unit, file=r.get("psd.file", str),
        attributes=attributes, regions=regions, release=sections.release(r), units=sections.units(r),
        default_unit=r.get("units.default", str), stocks_to_use=sections.stocks_to_use(r, metric),
        identities=sections.identities(r, metric), marketing_year=sections.marketing_year(r),
        trade_year=sections.trade_year(r), facts=sections.facts(r), charts=sections.charts(r, metric),
        prices=sections.prices(r), demo=sections.demo(r, metric), path=str(path))


def _attributes(r, dictionary, volume_unit):
    """Return the commodity's Attributes in dictionary order, with its overrides applied."""
    ids = r.get("attributes", list)
    overrides = r.get("attribute_overrides", dict, required=False, default={})
    for value in ids:
        if not isinstance(value, int) or value not in dictionary:
            r.fail("attributes", f"{value!r} is not an attribute of commodities/_attributes.toml")
    if len(set(ids)) != len(ids):
        r.fail("attributes", "an attribute is listed twice")
    found = []
    for attr_id, spec in dictionary.items():
        if attr_id not in ids:
            continue
        spec = {**spec, **overrides.get(str(attr_id), {})}
        volume = spec["kind"] == model.VOLUME
        found.append(model.Attribute(
            id=attr_id, metric=spec["metric"], label=spec["label"], usda=spec["usda"], kind=spec["kind"],
            unit=volume_unit if volume else spec["unit"], display_unit=spec.get("display_unit", ""),
            display_factor=float(spec.get("display_factor", 1.0)), numerator=spec.get("numerator"),
            denominator=spec.get("denominator"), scale=float(spec.get("scale", 1.0))))
    metrics = {a.metric for a in found}
    for key in overrides:
        if not key.isdigit() or int(key) not in ids:
            r.fail(f"attribute_overrides.{key}", "overrides an attribute the commodity does not list")
    for a in found:
        for part in (a.numerator, a.denominator):
            if part is not None and part not in metrics:
                r.fail("attributes", f"{a.metric} is totalled from {part}, which the commodity does not list")
    return tuple(found)
