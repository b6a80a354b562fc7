"""Component ids, one constant each; the prefix names the page that owns it."""

# Shell (every page)
NAV = "shell-nav"
DATA_BANNER = "shell-data-banner"

# Overview
OVERVIEW_YEAR = "overview-year"
OVERVIEW_KPIS = "overview-kpis"
OVERVIEW_PRODUCTION = "overview-production-graph"

# Landing: pricing section (billing)
LANDING_PRICING_ACTION = "landing-pricing-action"
LANDING_CHECKOUT = "landing-checkout"
LANDING_PORTAL = "landing-portal"


class Chart:
    """Ids of one chart card: the view, its message, CSV button and download."""

    def __init__(self, base, kind="graph", view=None):
        self.base = base
        self.view = view or f"{base}-{kind}"
        self.message = f"{base}-message"
        self.button = f"{base}-csv-button"
        self.download = f"{base}-csv"


# Overview (dashboards)
OVERVIEW_URL = "overview-url"
OVERVIEW_SOURCE = "overview-source"
OVERVIEW_UNITS = "overview-units"
OVERVIEW_RANGE = "overview-range"
OVERVIEW_KPI_CARDS = Chart("overview-kpi", view=OVERVIEW_KPIS)
OVERVIEW_BALANCE = Chart("overview-production")
OVERVIEW_TOP = Chart("overview-top-producers")

# Production
PRODUCTION_URL = "production-url"
PRODUCTION_SOURCE = "production-source"
PRODUCTION_COUNTRIES = "production-countries"
PRODUCTION_RANGE = "production-range"
PRODUCTION_UNITS = "production-units"
PRODUCTION_METRIC = "production-metric"
PRODUCTION_WINDOW = "production-window"
PRODUCTION_BY_COUNTRY = Chart("production-by-country")
PRODUCTION_SPLIT = Chart("production-split")
PRODUCTION_YOY = Chart("production-yoy")
PRODUCTION_SHARE = Chart("production-share")
PRODUCTION_VOLATILITY = Chart("production-volatility")

# Trade
TRADE_URL = "trade-url"
TRADE_SOURCE = "trade-source"
TRADE_COUNTRIES = "trade-countries"
TRADE_RANGE = "trade-range"
TRADE_UNITS = "trade-units"
TRADE_FLOW = "trade-flow"
TRADE_YEAR = "trade-year"
TRADE_TOP = "trade-top"
TRADE_FLOWS = Chart("trade-flows")
TRADE_NET = Chart("trade-net")
TRADE_DEPENDENCY = Chart("trade-dependency")
TRADE_POOL = Chart("trade-pool")
TRADE_TABLE = Chart("trade-table", kind="grid")
TRADE_TABLE_EXPORT = "trade-table-export"

# Supply
SUPPLY_URL = "supply-url"
SUPPLY_SOURCE = "supply-source"
SUPPLY_COUNTRIES = "supply-countries"
SUPPLY_RANGE = "supply-range"
SUPPLY_UNITS = "supply-units"
SUPPLY_YEAR = "supply-year"
SUPPLY_THRESHOLD = "supply-threshold"
SUPPLY_STOCKS_TO_USE = Chart("supply-stocks-to-use")
SUPPLY_ENDING_STOCKS = Chart("supply-ending-stocks")
SUPPLY_CONSUMPTION = Chart("supply-consumption")
SUPPLY_DRAWDOWN = Chart("supply-drawdown", kind="grid")
SUPPLY_DRAWDOWN_EXPORT = "supply-drawdown-export"

# Country
COUNTRY_URL = "country-url"
COUNTRY_SOURCE = "country-source"
COUNTRY_SELECT = "country-select"
COUNTRY_RANGE = "country-range"
COUNTRY_UNITS = "country-units"
COUNTRY_METRIC = "country-metric"
COUNTRY_HEADING = "country-heading"
COUNTRY_BALANCE = Chart("country-balance")
COUNTRY_SHEET = Chart("country-sheet", kind="grid")
COUNTRY_SHEET_EXPORT = "country-sheet-export"
COUNTRY_RANKS = Chart("country-ranks")
COUNTRY_VS_WORLD = Chart("country-vs-world")

# Admin (auth)
ADMIN_SEARCH = "admin-search"
ADMIN_USERS = "admin-users"
ADMIN_REFRESH = "admin-refresh"
ADMIN_PENDING = "admin-pending"
ADMIN_CONFIRM = "admin-confirm"
ADMIN_CONFIRM_TEXT = "admin-confirm-text"
ADMIN_CONFIRM_YES = "admin-confirm-yes"
ADMIN_CONFIRM_NO = "admin-confirm-no"
ADMIN_STATUS = "admin-status"
ADMIN_AUDIT = "admin-audit"
