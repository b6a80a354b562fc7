"""Coverage marks on world charts: a dotted line and a note, whose hover lists the countries, per change."""

# A change this large gets its words on the chart; smaller ones show only the count.
NAMED = 5


def changes_by_year(changes):
    """Return [(year, entered names, left names)] from a coverage_changes frame."""
    # One pass over plain lists: a groupby with two selections per year cost a world chart ~15 ms.
    years = {}
    for year, change, country in zip(changes["market_year"].tolist(), changes["change"].tolist(),
                                     changes["country"].tolist()):
        entered, left = years.setdefault(int(year), ([], []))
        if change == "enter":
            entered.append(country)
        elif change == "leave":
            left.append(country)
    return [(year, entered, left) for year, (entered, left) in sorted(years.items())]


def label(entered, left):
    """Return the short note of one year's change, e.g. '+24 countries enter PSD'."""
    parts = []
    if entered:
        parts.append(f"+{len(entered)} " + ("countries enter PSD" if len(entered) >= NAMED else ""))
    if left:
        parts.append(f"-{len(left)} " + ("countries leave PSD" if len(left) >= NAMED else ""))
    return " / ".join(p.strip() for p in parts)


def hover(year, entered, left):
    """Return the hover text naming every country entering or leaving in a year."""
    lines = [f"Coverage change in {year}/{(year + 1) % 100:02d}"]
    if entered:
        lines.append(f"Enter ({len(entered)}): " + "; ".join(entered))
    if left:
        lines.append(f"Leave ({len(left)}): " + "; ".join(left))
    return "<br>".join(lines)


def mark(figure, changes):
    """Add a dotted line and a hoverable note for every coverage change year to a plain-dict figure."""
    layout = figure["layout"]
    shapes, notes = list(layout.get("shapes", [])), list(layout.get("annotations", []))
    for number, (year, entered, left) in enumerate(changes_by_year(changes)):
        shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": year, "x1": year, "y0": 0, "y1": 1,
                       "line": {"color": "#999999", "width": 1, "dash": "dot"}})
        big = len(entered) >= NAMED or len(left) >= NAMED
        notes.append({"x": year, "xref": "x", "y": 1.0 if big else 0.94 - 0.06 * (number % 2), "yref": "paper",
                      "yanchor": "bottom", "text": label(entered, left), "showarrow": False,
                      "font": {"size": 11 if big else 9, "color": "#555555"},
                      "bgcolor": "rgba(255,255,255,0.7)", "hovertext": hover(year, entered, left),
                      "name": f"coverage-{year}"})
    layout["shapes"], layout["annotations"] = shapes, notes
    return figure


OPTIONS = [{"label": "All reporting countries", "value": "all"},
           {"label": "Constant coverage", "value": "constant"}]
