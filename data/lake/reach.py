"""Reaching the shared catalog and its bucket: quick failure, and one line naming what failed and why."""
from urllib.parse import urlparse

from pyarrow.fs import AwsStandardS3RetryStrategy

from config import value

# Tries of one S3 request: a bucket that never answers fails in ATTEMPTS x (connect + read timeout).
ATTEMPTS = 2


class TwoTries(AwsStandardS3RetryStrategy):
    """pyarrow's standard S3 retries, ATTEMPTS tries in all (pyiceberg builds it by name, without arguments)."""

    def __init__(self):
        super().__init__(max_attempts=ATTEMPTS)


def s3_properties(config):
    """Return pyiceberg's S3 timeout and retry properties from the settings."""
    return {"s3.connect-timeout": str(float(value(config, "ICEBERG_S3_CONNECT_TIMEOUT"))),
            "s3.request-timeout": str(float(value(config, "ICEBERG_S3_READ_TIMEOUT"))),
            "s3.retry-strategy-impl": f"{__name__}.TwoTries"}


def cause(config, exc):
    """Return one line naming the failure: the warehouse bucket and pyarrow's cause for S3, else the error."""
    warehouse = config.get("ICEBERG_WAREHOUSE") or ""
    detail = " ".join(str(exc).split())
    if "AWS Error" in detail:  # pyarrow's S3 errors: the AWS part says what happened (timeout, refused, denied)
        detail = detail[detail.index("AWS Error"):]
    detail = f"{type(exc).__name__}: {detail[:300]}"
    if warehouse.startswith(("s3://", "s3a://")) and isinstance(exc, OSError):
        endpoint = config.get("ICEBERG_S3_ENDPOINT") or "AWS S3"
        return f"warehouse bucket {urlparse(warehouse).netloc} at {endpoint}: {detail}"
    return detail
