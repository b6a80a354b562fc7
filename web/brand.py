"""Give every Jinja page the site's brand and served commodities (SITE_NAME, SITE_COMMODITIES)."""
from data.commodities.site import brand, site


def _context():
    """Return the brand and the served commodities for templates."""
    return {"site_name": brand(), "site_commodities": site()}


def init_app(app):
    """Add the brand to every template's context."""
    app.context_processor(_context)
