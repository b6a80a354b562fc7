"""A release this host does not serve yet but the shared catalog holds: the request waits for it (503, Retry-After)."""
import logging
import math

from data.serving import catalog_look, follow_state

log = logging.getLogger(__name__)


def retry_after(config, commodity, release_id):
    """Return the seconds to wait when the catalog holds commodity's release_id and this host is behind, else None."""
    if not follow_state.following(config):
        return None
    try:
        held = (commodity, release_id) in catalog_look.releases(config)
    except Exception as exc:  # an unreachable catalog: the release is unknown here, as before
        log.info("could not look for a release in the catalog", extra={"error": type(exc).__name__})
        return None
    return max(1, math.ceil(float(config["RELEASE_POLL_SECONDS"]))) if held else None
