"""A declared chart, as caches, the first draw and usage read it; and the answer of a chart with nothing to draw."""
from dataclasses import dataclass


class NothingToShow(Exception):
    """A chart has nothing to draw for valid filters; the message says why."""


@dataclass
class ChartSpec:
    """A declared chart: its page, ids, inputs, view property, access, draw and key.

    draw(values) -> (view, message, drawn): drawn is False for an error view, which no cache keeps;
    key(values) -> the chart and its validated inputs (what caches key its view by), or None when invalid;
    shows(commodity) -> False when the commodity's declaration has nothing this chart draws (left out).
    """

    page: str
    ids: object
    inputs: list
    view_prop: str
    access: str | None = None
    draw: object = None
    key: object = None
    shows: object = None

    def output_key(self):
        """Return the Dash callback key of the chart's view callback."""
        return f"..{self.ids.view}.{self.view_prop}...{self.ids.message}.children.."
