"""Component ids of the shell, and the ids of a chart card (pages declare their own ids)."""

# Shell (every page)
NAV = "shell-nav"
DATA_BANNER = "shell-data-banner"


class Chart:
    """Ids of one chart card: the view, its message, CSV button and download."""

    def __init__(self, base, kind="graph", view=None):
        self.base = base
        self.view = view or f"{base}-{kind}"
        self.message = f"{base}-message"
        self.button = f"{base}-csv-button"
        self.xlsx = f"{base}-xlsx-button"
        self.download = f"{base}-csv"
        self.export = f"{base}-export"
        self.card = f"{base}-card"

