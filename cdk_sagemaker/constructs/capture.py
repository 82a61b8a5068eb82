"""Data capture: a sample of an endpoint's requests and responses, written to S3 for monitoring and replay.

:class:`DataCapture` is rendered by :class:`~cdk_sagemaker.constructs.endpoint.EndpointBase` (hook
``_render_data_capture``, through the public :meth:`DataCapture.bind`), so every endpoint kind that supports
capture reuses it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sagemaker as sagemaker
from constructs import Construct

from cdk_sagemaker import _limits
from cdk_sagemaker.constructs._jsii import is_unresolved
from cdk_sagemaker.constructs._nag import acknowledge_resource
from cdk_sagemaker.constructs._policy import PolicySink
from cdk_sagemaker.errors import Problem

_p = Problem.parse  # validators below write each problem as its message

__all__ = ["DataCapture"]

_PREFIX = re.compile(r"^[A-Za-z0-9!_.*'()=-]+(?:/[A-Za-z0-9!_.*'()=-]+)*$")


@dataclass(frozen=True, slots=True)
class BoundDataCapture:
    """What :meth:`DataCapture.bind` made: the bucket written to and the rendered L1 property."""

    bucket: s3.IBucket
    config: sagemaker.CfnEndpointConfig.DataCaptureConfigProperty


@dataclass(frozen=True, kw_only=True, slots=True)
class DataCapture:
    """Capture a sample of requests and responses to S3 (``DataCaptureConfig`` of the endpoint config).

    SageMaker writes ``<prefix>/<endpoint>/<variant>/yyyy/mm/dd/hh/*.jsonl`` objects. The execution role of each
    variant's model may put objects under exactly ``<prefix>/`` and encrypt with the capture key; nothing else.

    - ``bucket``: where captured data goes. Default: a new :class:`SecureBucket` under the endpoint (retained,
      versioned, TLS-only, KMS-encrypted with its own key, rotation on).
    - ``prefix``: key prefix, without leading or trailing ``/``. Default: ``"data-capture"``.
    - ``sampling_percentage``: share of requests captured, 0-100 (botocore ``SamplingPercentage``). Default: 100.
    - ``capture_input`` / ``capture_output``: capture request payloads / response payloads. Default: both.
    - ``csv_content_types`` / ``json_content_types``: content types SageMaker stores as CSV / JSON text; others are
      base64-encoded. Default: none (everything base64).
    - ``kms_key``: key SageMaker encrypts captured objects with. Default: the bucket's key (``None`` for a bucket
      without one: then S3's default encryption applies).
    - ``enabled``: ``False`` keeps the configuration but stops capturing. Default: ``True``.
    """

    bucket: s3.IBucket | None = None
    prefix: str = "data-capture"
    sampling_percentage: int = 100
    capture_input: bool = True
    capture_output: bool = True
    csv_content_types: Sequence[str] = ()
    json_content_types: Sequence[str] = ()
    kms_key: kms.IKey | None = None
    enabled: bool = True

    # -- validation ----------------------------------------------------------------------------------------------
    def problems(self, where: str = "data_capture.") -> list[Problem]:
        """Problems of this configuration (params prefixed with ``where``)."""
        out: list[Problem] = []
        lo, hi = _limits.bounds("SamplingPercentage")
        if not is_unresolved(self.sampling_percentage) and (
                isinstance(self.sampling_percentage, bool) or not isinstance(self.sampling_percentage, int)
                or not _limits.check_range(self.sampling_percentage, lo, hi)):
            out.append(_p(f"{where}sampling_percentage must be an integer {_limits.range_text(lo, hi)} "
                       f"(botocore SamplingPercentage), got {self.sampling_percentage!r}"))
        if not self.capture_input and not self.capture_output:
            out.append(_p(f"{where}capture_input/capture_output must capture at least one of input and output, "
                       "got neither"))
        if not is_unresolved(self.prefix):
            _, max_uri = _limits.bounds("DestinationS3Uri")
            # s3:// + the shortest bucket name (3) + "/" leaves this much for the prefix.
            room = int(max_uri) - len("s3://") - 3 - 1 if max_uri is not None else None
            if not _PREFIX.match(self.prefix):
                out.append(_p(f"{where}prefix must be an S3 key prefix of letters, digits, !_.*'()=- and inner '/' "
                           f"(no leading, trailing or double '/'), got {self.prefix!r}"))
            elif room is not None and len(self.prefix) > room:
                out.append(_p(f"{where}prefix must be at most {room} characters (the destination URI is at most "
                           f"{int(max_uri or 0)}), got {self.prefix!r}"))
        for name, shape in (("csv_content_types", "CsvContentTypes"), ("json_content_types", "JsonContentTypes")):
            values = tuple(getattr(self, name))
            if isinstance(getattr(self, name), str):
                out.append(_p(f"{where}{name} must be a list of content types, got {getattr(self, name)!r}"))
                continue
            if not values:
                continue
            _, most = _limits.list_bounds(shape)
            if most is not None and len(values) > most:
                out.append(_p(f"{where}{name} must hold at most {most} content types, got {len(values)}"))
            member = _limits.shape(shape)["member"]["shape"]
            for v in values:
                if not is_unresolved(v) and not _limits.matches(member, v):
                    out.append(_p(f"{where}{name} must hold MIME types like 'text/csv' (botocore {member} "
                               f"{_limits.pattern(member)}), got {v!r}"))
        return out

    # -- binding -------------------------------------------------------------------------------------------------
    def bind(self, scope: Construct, writers: Sequence[PolicySink]) -> BoundDataCapture:
        """Create the bucket under ``scope`` if none was given, grant ``writers`` (an endpoint's
        :meth:`~cdk_sagemaker.constructs.variant.IEndpointVariant.execution_principals`) put + encrypt on exactly
        the prefix, and render the L1 ``DataCaptureConfig``."""
        bucket = self.bucket if self.bucket is not None else self._create_bucket(scope)
        key = self.kms_key if self.kms_key is not None else bucket.encryption_key
        objects = bucket.arn_for_objects(f"{self.prefix}/*")
        put = iam.PolicyStatement(actions=["s3:PutObject"], resources=[objects])
        encrypt = (iam.PolicyStatement(actions=["kms:Encrypt", "kms:GenerateDataKey"], resources=[key.key_arn])
                   if key is not None else None)
        for writer in writers:
            writer.add_to_role_policy(put)
            if encrypt is not None:
                writer.add_to_role_policy(encrypt)
            acknowledge_resource(writer if isinstance(writer, Construct) else scope, objects,
                                 "SageMaker names each captured object after the endpoint, variant and hour it "
                                 "captures; the grant is s3:PutObject under exactly the capture prefix of this bucket.")
        modes = [m for m, on in (("Input", self.capture_input), ("Output", self.capture_output)) if on]
        header = None
        if self.csv_content_types or self.json_content_types:
            header = sagemaker.CfnEndpointConfig.CaptureContentTypeHeaderProperty(
                csv_content_types=list(self.csv_content_types) or None,
                json_content_types=list(self.json_content_types) or None,
            )
        config = sagemaker.CfnEndpointConfig.DataCaptureConfigProperty(
            capture_options=[sagemaker.CfnEndpointConfig.CaptureOptionProperty(capture_mode=m) for m in modes],
            destination_s3_uri=bucket.s3_url_for_object(self.prefix),
            initial_sampling_percentage=self.sampling_percentage,
            capture_content_type_header=header,
            enable_capture=self.enabled,
            kms_key_id=key.key_arn if key is not None else None,
        )
        return BoundDataCapture(bucket=bucket, config=config)

    @staticmethod
    def _create_bucket(scope: Construct) -> s3.IBucket:
        from cdk_sagemaker.constructs.storage import SecureBucket

        return SecureBucket(scope, "CaptureBucket")
