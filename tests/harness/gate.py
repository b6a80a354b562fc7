"""A TCP gate in front of a real service (Redis, PostgreSQL, moto's S3, SMTP): shut it and the service is down.

Clients are pointed at the gate's port. shut() refuses new connections and cuts the open ones, as a crashed or
restarting server does (or a dead network path); open() lets them through again. The service itself keeps
its state (moto's buckets in memory, PostgreSQL's and Redis's data), so a test or the soak can bring the same
service back.
"""
import socket
import threading
import time
from contextlib import contextmanager

from tests.harness.live import free_port


class Gate:
    """A TCP forwarder to upstream_port; shut() and open() again, counting the bytes sent back to clients."""

    def __init__(self, upstream_port):
        self.upstream_port = upstream_port
        self.port = free_port()
        self.bytes_served = 0
        self.delay = 0.0  # seconds added before each chunk sent back: a slow link
        self._lock = threading.Lock()
        self._sockets = set()
        self._listener = None

    @classmethod
    def opened(cls, upstream_port):
        """Return a new gate to upstream_port, open."""
        gate = cls(upstream_port)
        gate.open()
        return gate

    def open(self):
        """Accept connections on the gate's port."""
        self._listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, args=(self._listener,), daemon=True).start()

    def shut(self):
        """Refuse new connections and cut open ones."""
        listener, self._listener = self._listener, None
        if listener is not None:
            try:
                listener.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread (close alone may not, on Linux)
            except OSError:
                pass
            listener.close()
        with self._lock:
            open_sockets, self._sockets = self._sockets, set()
        for sock in open_sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def _accept(self, listener):
        """Forward each accepted connection until the listener closes."""
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets.update((client, upstream))
            threading.Thread(target=self._pump, args=(client, upstream, False), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, True), daemon=True).start()

    def _pump(self, source, sink, counted):
        """Copy source to sink until either closes."""
        try:
            while chunk := source.recv(65536):
                if counted:
                    if self.delay:
                        time.sleep(self.delay)
                    with self._lock:
                        self.bytes_served += len(chunk)
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()
                with self._lock:
                    self._sockets.discard(sock)

    @property
    def is_open(self):
        """Return True while the gate lets connections through."""
        return self._listener is not None

    def url(self, scheme, rest=""):
        """Return scheme://127.0.0.1:<gate port><rest>, the address clients use."""
        return f"{scheme}://127.0.0.1:{self.port}{rest}"

    @contextmanager
    def down(self):
        """Shut the gate for the block and open it again after, whatever the block did."""
        self.shut()
        try:
            yield self
        finally:
            self.open()


def wait_until(condition, timeout=30.0, every=0.1):
    """Call condition() until it returns something true; return (that value, seconds waited); fail after timeout."""
    started = time.monotonic()
    last = None
    while True:
        try:
            last = condition()
        except Exception as exc:  # a service coming back may refuse a moment longer
            last = exc
        else:
            if last:
                return last, time.monotonic() - started
        if time.monotonic() - started > timeout:
            raise AssertionError(f"not within {timeout:.0f} s: last answer {last!r}")
        time.sleep(every)
