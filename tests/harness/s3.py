"""An S3-compatible store for tests and benchmarks: moto's server on 127.0.0.1 behind a gate that can go down.

moto keeps its buckets in memory, so stopping its process would lose them: the hosts reach it through a TCP
gate instead, and shutting the gate is the S3 endpoint going down (connections refused, open ones cut).
"""
import subprocess
import sys
import time
import uuid
from pathlib import Path

import requests

from tests.harness.gate import Gate
from tests.harness.live import free_port

REGION = "us-east-1"
KEY_ID, SECRET = "beanflows-test", "beanflows-test-secret"


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
        self.gate = Gate.opened(self.moto_port)
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
