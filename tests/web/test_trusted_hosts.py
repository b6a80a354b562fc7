"""Emailed links come from BASE_URL, never from the Host header; untrusted Hosts get a 400."""
import re
import time

import requests

from tests.conftest import create_user

SITE = "beanflows.test"


def _reset(server, host, email):
    """Ask for a reset link at server, sending Host: host; return the POST response."""
    session = requests.Session()
    page = session.get(server.url + "/reset", headers={"Host": host}, timeout=10)
    if page.status_code != 200:
        return page
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)
    return session.post(server.url + "/reset", data={"email": email, "csrf_token": token},
                        headers={"Host": host}, allow_redirects=False, timeout=10)


def _wait_for_mail(mailbox, count):
    """Wait up to 10 s until mailbox holds count messages."""
    deadline = time.monotonic() + 10
    while len(mailbox.messages) < count and time.monotonic() < deadline:
        time.sleep(0.1)


def test_reset_link_uses_base_url_and_evil_host_is_refused(live, smtp):
    mailbox, port = smtp
    server = live(BASE_URL=f"http://{SITE}", MAIL_SERVER="127.0.0.1", MAIL_PORT=str(port))
    email = create_user(server, "owner@example.com")

    evil = _reset(server, "evil.example", email)
    good = _reset(server, SITE, email)
    assert evil.status_code == 400
    assert good.status_code == 303
    _wait_for_mail(mailbox, 1)
    time.sleep(0.5)  # a late second message would be the evil one
    assert len(mailbox.messages) == 1, [m[1] for m in mailbox.messages]
    recipients, text = mailbox.messages[0]
    assert recipients == [email]
    links = re.findall(r"https?://\S+", text.replace("=\n", ""))
    assert links and all(link.startswith(f"http://{SITE}/reset/") for link in links), links
    assert "evil.example" not in text


def test_loopback_is_served_without_base_url(live_server):
    server = live_server  # started without BASE_URL
    assert requests.get(server.url + "/login", timeout=10).status_code == 200
    assert requests.get(server.url + "/login", headers={"Host": "evil.example"}, timeout=10).status_code == 400
