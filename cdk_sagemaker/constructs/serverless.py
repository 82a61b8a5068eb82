"""Serverless endpoints: no instances to choose, pay per request, scale to zero between bursts."""

from __future__ import annotations

from aws_cdk import Duration, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_sagemaker as sagemaker
from constructs import Construct

from cdk_sagemaker import _limits
from cdk_sagemaker.constructs._jsii import is_unresolved, node_path, remember_path
from cdk_sagemaker.constructs._nag import acknowledge
from cdk_sagemaker.constructs.autoscaling import AutoScaling
from cdk_sagemaker.constructs.deployment import DeploymentStrategy
from cdk_sagemaker.constructs.endpoint import EndpointBase, VariantSpec, variant_name_problems
from cdk_sagemaker.constructs.images import PrivateRegistryImage
from cdk_sagemaker.constructs.model import Model
from cdk_sagemaker.errors import Problems

__all__ = ["ServerlessEndpoint"]

#: Serverless memory comes in 1 GB steps (1024, 2048, ... 6144 MB). botocore's ``ServerlessMemorySizeInMB`` has
#: the range but not the step; the step is in the member documentation of
#: ``ProductionVariantServerlessConfig.MemorySizeInMB`` and in "Deploy models with Amazon SageMaker Serverless
#: Inference" (https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html#serverless-endpoints-how-it-works-memory).
SERVERLESS_MEMORY_STEP_MB = 1024

#: Why a serverless endpoint config has no KmsKeyId. "Feature exclusions" in
#: https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html lists KMS keys, network isolation,
#: VPC configuration, multi-model endpoints, multiple production variants, data capture and inference pipelines
#: among the real-time features Serverless Inference does not support.
_NO_KEY_REASON = ("Serverless Inference does not accept a KmsKeyId on the endpoint config (KMS keys are among the "
                  "serverless feature exclusions): there is no customer storage volume to encrypt; SageMaker "
                  "encrypts the serverless compute's storage with a SageMaker-owned key.")


def _memory_sizes() -> list[int]:
    lo, hi = _limits.member_bounds("ProductionVariantServerlessConfig", "MemorySizeInMB")
    # botocore states both bounds; the documented 1024-6144 MB if a future model drops them.
    return list(range(int(lo or 1024), int(hi or 6144) + 1, SERVERLESS_MEMORY_STEP_MB))


class ServerlessEndpoint(EndpointBase):
    """A serverless SageMaker endpoint: SageMaker runs the model on demand, billed per request and duration.

    For intermittent or unpredictable traffic that tolerates cold starts; ``provisioned_concurrency`` keeps that many
    concurrent invocations warm for predictable bursts::

        ServerlessEndpoint(self, "Endpoint", model=model, memory_size_mb=2048, max_concurrency=20)

    Serverless Inference does not support network isolation, VPC configuration, multi-model or multi-container
    (pipeline) models, GPUs, data capture or a KMS key on the endpoint config; the model must be built with
    ``Model(..., network_isolation=False)`` and a single single-model container.

    Default: 2048 MB, at most 20 concurrent invocations, no provisioned concurrency (scale to zero when idle),
    variant ``AllTraffic``, no auto-scaling of provisioned concurrency, no deployment guardrail.
    """

    _INVOKE_ACTIONS = ("sagemaker:InvokeEndpoint",)
    _STORAGE_KMS = False

    def _no_kms_key_text(self) -> str:
        return _NO_KEY_REASON

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        model: Model,
        memory_size_mb: int = 2048,
        max_concurrency: int = 20,
        provisioned_concurrency: int | None = None,
        variant_name: str = "AllTraffic",
        auto_scaling: AutoScaling | None = None,
        deployment: DeploymentStrategy | None = None,
    ) -> None:
        """``memory_size_mb``: memory (and proportional vCPU) of each invocation, 1024 to 6144 in 1024 MB steps.
        ``max_concurrency``: invocations served at once before SageMaker throttles. ``provisioned_concurrency``:
        invocations kept warm (at most ``max_concurrency``). ``auto_scaling`` scales the provisioned concurrency.
        ``deployment``: a blue/green guardrail; rolling updates are not available for serverless endpoints.
        """
        super().__init__(scope, id)
        remember_path(self, scope, id)
        serverless: dict[str, int] = {"memory_size_in_mb": memory_size_mb, "max_concurrency": max_concurrency}
        if provisioned_concurrency is not None:
            serverless["provisioned_concurrency"] = provisioned_concurrency
        spec = VariantSpec(variant_name=variant_name, model=model, kind="serverless", serverless=serverless,
                            auto_scaling=auto_scaling)
        self.memory_size_mb = memory_size_mb
        self.max_concurrency = max_concurrency
        self.provisioned_concurrency = provisioned_concurrency
        self._validate(spec, deployment)
        self._build([spec], kms_key=None, deployment=deployment)

    # -- validation ---------------------------------------------------------------------------------------------
    def _validate(self, spec: VariantSpec, deployment: DeploymentStrategy | None = None) -> None:
        problems = Problems(node_path(self))
        problems.extend(variant_name_problems("", spec.variant_name))
        self._check_serverless(problems, "", self.memory_size_mb, self.max_concurrency, self.provisioned_concurrency)
        if spec.model is not None:  # serverless variants always serve one model
            self._check_model(problems, spec.model)
        if spec.auto_scaling is not None:
            problems.extend(spec.auto_scaling.problems(spec))
        problems.extend(self._security_problems([spec], None))
        problems.extend(self._deployment_problems([spec], deployment))
        problems.raise_if_any()

    @staticmethod
    def _check_serverless(problems: Problems, where: str, memory_size_mb: int, max_concurrency: int,
                          provisioned_concurrency: int | None) -> None:
        sizes = _memory_sizes()
        if not is_unresolved(memory_size_mb) and memory_size_mb not in sizes:
            problems.add(f"{where}memory_size_mb", f"must be {_limits.range_text(sizes[0], sizes[-1])} in steps of "
                         f"{SERVERLESS_MEMORY_STEP_MB} MB ({', '.join(map(str, sizes))})", memory_size_mb)
        lo, hi = _limits.member_bounds("ProductionVariantServerlessConfig", "MaxConcurrency")
        if not is_unresolved(max_concurrency) and not _limits.check_range(max_concurrency, lo, hi):
            problems.add(f"{where}max_concurrency", f"must be {_limits.range_text(lo, hi)}", max_concurrency)
        if provisioned_concurrency is None or is_unresolved(provisioned_concurrency):
            return
        lo, hi = _limits.member_bounds("ProductionVariantServerlessConfig", "ProvisionedConcurrency")
        if not _limits.check_range(provisioned_concurrency, lo, hi):
            problems.add(f"{where}provisioned_concurrency", f"must be {_limits.range_text(lo, hi)}",
                         provisioned_concurrency)
        elif not is_unresolved(max_concurrency) and provisioned_concurrency > max_concurrency:
            problems.add(f"{where}provisioned_concurrency", f"must be at most max_concurrency ({max_concurrency})",
                         provisioned_concurrency)

    @staticmethod
    def _check_model(problems: Problems, model: Model) -> None:
        """Reject model features that Serverless Inference excludes (see the module's feature-exclusions note)."""
        isolation = model.cfn_model.enable_network_isolation
        if isolation is True:
            problems.add("model.network_isolation", "must be False for a serverless endpoint (Serverless Inference "
                         "does not support network isolation; build the model with Model(..., "
                         "network_isolation=False))", True)
        if model.cfn_model.vpc_config is not None:
            problems.add_message("model.vpc_config must not be set for a serverless endpoint (Serverless Inference "
                                 "does not support VPC configuration), got a VPC configuration")
        if len(model.containers) > 1:
            problems.add("model.containers", "must hold exactly one container for a serverless endpoint (Serverless "
                         "Inference does not support inference pipelines or multi-container models)",
                         len(model.containers))
        if any(c.multi_model for c in model.containers):
            problems.add("model.containers[0].multi_model", "must be False for a serverless endpoint (Serverless "
                         "Inference does not support multi-model endpoints)", True)
        package = model.model_package
        if package is not None and package.is_marketplace(Stack.of(model).account):
            problems.add("model.model_package", "must not be an AWS Marketplace model package for a serverless "
                         "endpoint (Serverless Inference does not support Marketplace model packages)", package.arn)
        for i, c in enumerate(model.containers):
            if isinstance(c.image, PrivateRegistryImage):
                problems.add(f"model.containers[{i}].image", "must not be in a private Docker registry for a "
                             "serverless endpoint (Serverless Inference does not support private Docker registries)",
                             c.image.uri)

    # -- building -----------------------------------------------------------------------------------------------
    def _create_endpoint_config(self) -> sagemaker.CfnEndpointConfig:
        config = super()._create_endpoint_config()
        for pack in ("NIST.800.53.R5", "HIPAA.Security"):
            acknowledge(config, f"{pack}-SageMakerEndpointConfigurationKMSKeyConfigured", _NO_KEY_REASON)
        return config

    # -- public API ---------------------------------------------------------------------------------------------
    def metric_model_setup_time(
        self, *, variant_name: str | None = None, statistic: str = "Average", period: Duration | None = None,
        label: str | None = None, unit: cloudwatch.Unit | None = None, color: str | None = None,
        account: str | None = None, region: str | None = None,
    ) -> cloudwatch.Metric:
        """Time to launch new compute for the endpoint (cold starts), in microseconds. Default: Average."""
        return self._primary(variant_name).metric_model_setup_time(
            statistic=statistic, period=period, label=label, unit=unit, color=color, account=account, region=region)
