"""The Redis release notice wakes a waiting follower at once; without Redis the wait is the poll interval."""
import threading
import time
import uuid

import pytest

from data.lake import notice


@pytest.mark.redis
def test_a_notice_ends_the_wait_at_once(redis_url):
    config = {"REDIS_URL": redis_url, "REDIS_KEY_PREFIX": f"bf-test-{uuid.uuid4().hex[:8]}"}
    listener, got = notice.Listener(config), {}
    listener.wait(0.1)  # subscribed before the notice goes out, as a running follower is

    def wait():
        started = time.monotonic()
        got["release"], got["seconds"] = listener.wait(30), time.monotonic() - started

    waiter = threading.Thread(target=wait)
    waiter.start()
    time.sleep(0.3)
    notice.publish(config, "2025-03")
    notice.publish(config, "2025-03")  # two notices in a row wake it once
    waiter.join(timeout=35)
    assert got["release"] == "2025-03" and got["seconds"] < 5
    other = {**config, "REDIS_KEY_PREFIX": f"bf-test-{uuid.uuid4().hex[:8]}"}
    notice.publish(other, "2025-06")  # another deployment's notice is not ours
    assert listener.wait(1) is None


def test_without_redis_the_wait_is_the_poll_interval():
    started = time.monotonic()
    assert notice.Listener({}).wait(0.5) is None
    assert time.monotonic() - started >= 0.5


def test_an_unreachable_redis_falls_back_to_polling():
    config = {"REDIS_URL": "redis://127.0.0.1:1/0"}
    notice.publish(config, "2025-03")  # logged, not raised: the hosts find the release by polling
    started = time.monotonic()
    assert notice.Listener(config).wait(0.5) is None
    assert 0.5 <= time.monotonic() - started < 5
