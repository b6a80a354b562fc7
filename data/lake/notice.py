"""The Redis notice of a new release: the writer publishes it, every host's follower wakes on it."""
import logging
import time

log = logging.getLogger(__name__)


def channel(config):
    """Return the deployment's release channel."""
    return f"{config.get('REDIS_KEY_PREFIX') or 'beanflows'}:releases"


def publish(config, release_id):
    """Tell every host a release was written; without Redis (or when it is down) their polling finds it."""
    url = config.get("REDIS_URL")
    if not url:
        return
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).publish(channel(config), release_id)
    except redis.RedisError as exc:
        log.warning("release notice not sent; hosts will find the release by polling",
                    extra={"release": release_id, "error": type(exc).__name__})


class Listener:
    """Wait for a release notice, at most a poll interval; polling alone without Redis or while it is down."""

    def __init__(self, config):
        self.config = config
        self.pubsub = None

    def _subscribe(self):
        """Return a subscription to the release channel, or None without (a reachable) Redis."""
        url = self.config.get("REDIS_URL")
        if not url:
            return None
        if self.pubsub is None:
            import redis

            try:
                pubsub = redis.Redis.from_url(url, socket_connect_timeout=2).pubsub(ignore_subscribe_messages=True)
                pubsub.subscribe(channel(self.config))
                self.pubsub = pubsub
            except redis.RedisError:
                return None
        return self.pubsub

    def wait(self, seconds):
        """Return the release id of a notice that came within seconds, else None once they passed."""
        deadline = time.monotonic() + seconds
        pubsub = self._subscribe()
        if pubsub is None:
            time.sleep(seconds)
            return None
        import redis

        try:
            message = pubsub.get_message(timeout=seconds)
            while message is None and time.monotonic() < deadline:  # a subscribe confirmation returns early
                message = pubsub.get_message(timeout=max(0.0, deadline - time.monotonic()))
        except redis.RedisError:
            self.pubsub = None  # subscribe again next time
            time.sleep(max(0.0, deadline - time.monotonic()))
            return None
        if message is None:
            return None
        while pubsub.get_message(timeout=0.05) is not None:  # several notices in a row: one build
            pass
        data = message["data"]
        return data.decode() if isinstance(data, bytes) else str(data)
