"""Internal: one parser for the ``s3://bucket/key`` URIs every construct takes, with errors that say what is wrong.

Bucket names follow the S3 naming rules for general purpose buckets (S3 user guide, "General purpose bucket naming
rules"): 3-63 characters; lowercase letters, digits, dots and hyphens; beginning and ending with a letter or digit;
no two adjacent dots; not formatted as an IP address. The URI's overall length comes from the botocore shape the
API field uses (``Url``, ``S3Uri``, ``DestinationS3Uri``...).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from cdk_sagemaker import _limits

__all__ = ["S3Location", "parse_s3_uri", "s3_uri_problems"]

_BUCKET_CHARS = re.compile(r"^[a-z0-9.-]+$")
_IP_ADDRESS = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")


class S3Location(NamedTuple):
    bucket: str
    key: str


def parse_s3_uri(uri: str) -> S3Location | None:
    """``s3://bucket/key`` split into bucket and key (key may be empty); None if it is not an ``s3://`` URI with a
    valid bucket name."""
    if not uri.startswith("s3://"):
        return None
    bucket, _, key = uri[len("s3://"):].partition("/")
    if _bucket_problem(bucket) is not None:
        return None
    return S3Location(bucket, key)


def _bucket_problem(bucket: str) -> str | None:
    if not bucket:
        return "names no bucket (expected s3://<bucket>/<key>)"
    if not 3 <= len(bucket) <= 63:
        return f"has a bucket name of {len(bucket)} characters ({bucket!r}); S3 bucket names have 3 to 63"
    if not _BUCKET_CHARS.match(bucket):
        return (f"has a bucket name with characters S3 does not allow ({bucket!r}); bucket names use lowercase "
                "letters, digits, dots and hyphens")
    if not (bucket[0].isalnum() and bucket[-1].isalnum()):
        return f"has a bucket name that does not begin and end with a letter or digit ({bucket!r})"
    if ".." in bucket:
        return f"has a bucket name with two adjacent dots ({bucket!r})"
    if _IP_ADDRESS.match(bucket):
        return f"has a bucket name formatted as an IP address ({bucket!r})"
    return None


def s3_uri_problems(param: str, uri: str, *, shape: str, key: str = "required") -> list[str]:
    """Problems with ``uri`` as ``"<param> <what is wrong>, got <uri!r>"`` messages (empty when it is fine).

    ``shape``: the botocore string shape of the API field (its pattern and maximum length apply). ``key``:
    ``"required"`` (an object or a prefix), ``"prefix"`` (must end in ``/``) or ``"optional"`` (a bucket alone is
    fine). Call only with resolved strings.
    """
    problems: list[str] = []
    if not uri.startswith("s3://"):
        scheme = uri.split("://", 1)[0] + "://" if "://" in uri else None
        what = f"uses the scheme {scheme!r}" if scheme else "has no scheme"
        problems.append(f"{param} must be an S3 URI starting with 's3://' (s3://<bucket>/<key>); it {what}, "
                        f"got {uri!r}")
        return problems
    bucket, _, rest = uri[len("s3://"):].partition("/")
    bucket_msg = _bucket_problem(bucket)
    if bucket_msg is not None:
        problems.append(f"{param} {bucket_msg}, got {uri!r}")
    if key == "required" and not rest:
        problems.append(f"{param} must name a key or prefix after the bucket (s3://{bucket or '<bucket>'}/<key>), "
                        f"got {uri!r}")
    if key == "prefix" and not uri.endswith("/"):
        problems.append(f"{param} must be an S3 prefix ending in '/', got {uri!r}")
    if any(c.isspace() for c in uri):
        problems.append(f"{param} must not contain white space, got {uri!r}")
    _, most = _limits.bounds(shape)
    if most is not None and len(uri) > most:
        problems.append(f"{param} must be at most {most:g} characters (botocore {shape}), got {len(uri)} characters")
    elif not problems and not _limits.matches(shape, uri):
        problems.append(f"{param} must match botocore {shape} pattern {_limits.pattern(shape)}, got {uri!r}")
    return problems
