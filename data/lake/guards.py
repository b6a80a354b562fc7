"""Refuse a load that shrinks the data against the last release, unless forced."""
import pyarrow.compute as pc

from data.schema import GUARDED_ATTRIBUTES
from data.sources.fetch import SourceError

MAX_LISTED = 8


class LoadRefused(Exception):
    """A load that parses but would lose or distort data; --force overrides."""


def _listed(items):
    """Return items as a short comma list."""
    items = sorted(items)
    more = f" and {len(items) - MAX_LISTED} more" if len(items) > MAX_LISTED else ""
    return ", ".join(str(i) for i in items[:MAX_LISTED]) + more


def _world_totals(arrow):
    """Return {(commodity, attribute_id, year): sum over countries} for the guarded attributes."""
    rows = arrow.filter(pc.is_in(arrow["attribute_id"], value_set=pc.cast(list(GUARDED_ATTRIBUTES), "int32")))
    grouped = rows.group_by(["commodity_code", "attribute_id", "attribute", "market_year"]).aggregate([("value", "sum")])
    return {
        (c, a, n, y): v
        for c, a, n, y, v in zip(*(grouped[k].to_pylist() for k in
                                   ("commodity_code", "attribute_id", "attribute", "market_year", "value_sum")))
    }


def shrinkage(old, new, max_change):
    """Return messages naming what new loses against old: countries, market years, world totals."""
    problems = []
    for code in sorted(set(new["commodity_code"].to_pylist())):
        before = old.filter(pc.equal(old["commodity_code"], code))
        after = new.filter(pc.equal(new["commodity_code"], code))
        if before.num_rows == 0:
            continue
        lost = set(before["country"].to_pylist()) - set(after["country"].to_pylist())
        if lost:
            problems.append(f"{code}: {len(lost)} countr{'y' if len(lost) == 1 else 'ies'} missing "
                            f"({_listed(lost)})")
        years = set(before["market_year"].to_pylist()) - set(after["market_year"].to_pylist())
        if years:
            problems.append(f"{code}: {len(years)} market year(s) missing ({_listed(years)})")
        problems += _moved_totals(before, after, max_change)
    return problems


def _moved_totals(before, after, max_change):
    """Return messages for world totals moving by more than max_change (a fraction)."""
    old_totals, new_totals = _world_totals(before), _world_totals(after)
    moved = []
    for key, old_value in sorted(old_totals.items()):
        new_value = new_totals.get(key)
        if new_value is None or old_value == 0:
            continue
        change = (new_value - old_value) / abs(old_value)
        if abs(change) > max_change:
            code, _, attribute, year = key
            moved.append(f"{code}: world {attribute} {year} moves {change:+.0%} "
                         f"({old_value:,.0f} -> {new_value:,.0f})")
    if len(moved) > MAX_LISTED:
        moved = moved[:MAX_LISTED] + [f"and {len(moved) - MAX_LISTED} more world totals"]
    return moved


def check(old, new, max_change):
    """Raise LoadRefused naming what shrank when new loses data against old."""
    problems = shrinkage(old, new, max_change)
    if problems:
        raise LoadRefused(
            "refused: this load shrinks the data against the last release: " + "; ".join(problems)
            + f" (world totals may move at most {max_change:.0%}; use --force to load it anyway)"
        )


def logged_load(log, label, source, load):
    """Run load() for source and log '<label> refused', 'loaded' or 'unchanged'; return its summary."""
    try:
        summary = load()
    except (SourceError, LoadRefused) as exc:
        log.warning(f"{label} refused", extra={"source": str(source), "reason": str(exc)})
        raise
    log.info(f"{label} loaded" if summary["new"] else f"{label} unchanged",
             extra={"source": str(source), "release_id": summary["release_id"]})
    return summary
