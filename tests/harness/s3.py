"""An S3-compatible store for tests and benchmarks: moto's server on 127.0.0.1 behind a gate that can go down.

moto keeps its buckets in memory, so stopping its process would lose them: the hosts reach it through a TCP
gate instead, and shutting the gate is the S3 endpoint going down (connections refused, open ones cut).
"""
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import requests

from tests.harness.live import free_port

REGION = "us-east-1"
KEY_ID, SECRET = "beanflows-test", "beanflows-test-secret"


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

    def open(self):
        """Accept connections on the gate's port."""
        self._listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, args=(self._listener,), daemon=True).start()

    def shut(self):
        """Refuse new connections and cut open ones."""
        listener, self._listener = self._listener, None
        if listener is not None:
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


class S3Store:
    """moto's server in a subprocess, one bucket per warehouse, reached through a Gate."""

    def __init__(self):
        self.moto_port = free_port()
        self.proc = subprocess.Popen([str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1",
                                      "-p", str(self.moto_port)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(f"http://127.0.0.1:{self.moto_port}/", timeout=2)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    self.stop()
                    raise RuntimeError("moto's server did not start")
                time.sleep(0.1)
        self.gate = Gate(self.moto_port)
        self.gate.open()
        self.endpoint = f"http://127.0.0.1:{self.gate.port}"
        self.direct = f"http://127.0.0.1:{self.moto_port}"

    def client(self):
        """Return a boto3 S3 client on moto directly (not through the gate)."""
        import boto3

        return boto3.client("s3", endpoint_url=self.direct, region_name=REGION,
                            aws_access_key_id=KEY_ID, aws_secret_access_key=SECRET)

    def warehouse(self):
        """Create a fresh bucket; return the settings of a warehouse in it."""
        bucket = f"beanflows-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=bucket)
        return {"ICEBERG_WAREHOUSE": f"s3://{bucket}/warehouse", "ICEBERG_S3_ENDPOINT": self.endpoint,
                "ICEBERG_S3_REGION": REGION, "ICEBERG_S3_ACCESS_KEY_ID": KEY_ID,
                "ICEBERG_S3_SECRET_ACCESS_KEY": SECRET}

    def keys(self, bucket):
        """Return every object key in bucket."""
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=bucket)
        return [item["Key"] for page in pages for item in page.get("Contents", [])]

    def stop(self):
        """Stop the gate and moto's server."""
        if hasattr(self, "gate"):
            self.gate.shut()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
