"""Ask the access gate, the way a user meets it, whether a client has subscriber access."""
API_QUERY = "/api/v1/metrics?metric=production&country=BRA&start=2020&end=2020"


def subscriber_page():
    """Return the path of a dashboard page that needs a subscription."""
    from callbacks.page import PAGES  # the catalogue of the pages declared in this process

    paths = sorted(p.route for p in PAGES.values() if p.access == "subscriber" and "<" not in p.route)
    assert paths, "no subscriber dashboard is registered yet"
    return paths[0]


def has_subscriber_access(client):
    """Return True when a subscriber page opens for client (200), False when the gate refuses (403)."""
    response = client.get(subscriber_page())
    assert response.status_code in (200, 403), response.status_code
    return response.status_code == 200


def api_allows(client):
    """Return True when the data API answers client (200), False when the gate refuses (403)."""
    response = client.get(API_QUERY)
    assert response.status_code in (200, 403), (response.status_code, response.get_data(as_text=True)[:200])
    return response.status_code == 200
