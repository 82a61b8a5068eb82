"""Every cdk-nag acknowledgement in the example app, listed from the synthesized construct tree and compared to a
reviewed list: adding one (or moving one to another resource) makes this test fail until the list is updated."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest

from cdk_sagemaker.app import build_app
from cdk_sagemaker.constructs._nag import flatten_cfn_reference
from cdk_sagemaker.constructs.images import ContainerImage
from cdk_sagemaker.constructs.model import ContainerDefinition, Model, ModelData
from cdk_sagemaker.constructs.realtime import RealtimeEndpoint
from cdk_sagemaker.constructs.storage import SecureBucket
from cdk_sagemaker.stacks import STACKS
from cdk_sagemaker.testing import acknowledgements, assert_compliant

ROOT = Path(__file__).resolve().parents[2]

_IAM5 = "AwsSolutions::AwsSolutions-IAM5"

#: On the managed policy of every Model whose role the construct creates (constructs/model.py).
_MODEL_POLICY_ACKS = {
    f"{_IAM5}[Resource::*]",
    f"{_IAM5}[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws/sagemaker/*]",
}
_MODELS = [
    "CdkSagemakerAsyncNotifications/Model", "CdkSagemakerBatchTransformNightly/Model",
    "CdkSagemakerCanaryRollout/Model", "CdkSagemakerRealtimeAbTest/Challenger", "CdkSagemakerRealtimeAbTest/Champion",
    "CdkSagemakerRealtimeAutoScaling/Model", "CdkSagemakerRealtimeBasic/Model",
    "CdkSagemakerRealtimeInferenceComponents/Churn", "CdkSagemakerRealtimeInferenceComponents/Fraud",
    "CdkSagemakerRealtimeMultiModel/Model", "CdkSagemakerRealtimePipeline/Pipeline",
    "CdkSagemakerRealtimePrivate/Model", "CdkSagemakerRegistryPromotion/Model", "CdkSagemakerRestApi/Model",
    "CdkSagemakerRealtimeShadow/Candidate", "CdkSagemakerRealtimeShadow/Production",
    "CdkSagemakerServerlessProvisioned/Model",
    "CdkSagemakerLlmInferenceComponents/Chat", "CdkSagemakerLlmInferenceComponents/Embed",
    "CdkSagemakerMonitored/Model",
]

#: On every SecureBucket (constructs/storage.py): access logs are opt-in, replication is a DR decision.
_SECURE_BUCKET_ACKS = {
    "AwsSolutions::AwsSolutions-S1",
    "HIPAA.Security::HIPAA.Security-S3BucketLoggingEnabled",
    "HIPAA.Security::HIPAA.Security-S3BucketReplicationEnabled",
    "NIST.800.53.R5::NIST.800.53.R5-S3BucketLoggingEnabled",
    "NIST.800.53.R5::NIST.800.53.R5-S3BucketReplicationEnabled",
}
_BUCKETS = [
    "CdkSagemakerAsyncNotifications/Endpoint/Bucket", "CdkSagemakerBatchTransformNightly/Data",
    "CdkSagemakerRealtimeAbTest/Endpoint/CaptureBucket", "CdkSagemakerRealtimeMultiModel/Models",
    "CdkSagemakerRealtimeShadow/Endpoint/CaptureBucket",
    "CdkSagemakerRegistryPromotion/PromotionSource", "CdkSagemakerRegistryPromotion/RegistryArtifacts",
    "CdkSagemakerLlmInferenceComponents/Models",
    "CdkSagemakerMonitored/Endpoint/CaptureBucket", "CdkSagemakerMonitored/Baselines",
    "CdkSagemakerMonitored/DataQuality/Reports",
]
_CAPTURE = f"{_IAM5}[Resource::<EndpointCaptureBucket3F5E7811.Arn>/data-capture/*]"
_ASYNC_BUCKET = "arn:<AWS::Partition>:s3:::<EndpointBucket90A68353>"
_BATCH_BUCKET = "arn:<AWS::Partition>:s3:::<Data666C94C7>"

#: (construct path, finding id) of every acknowledgement. Reasons are in the code next to each one and in
#: docs/security.md.
EXPECTED: set[tuple[str, str]] = {
    *((f"{model}/Policy", rule) for model in _MODELS for rule in _MODEL_POLICY_ACKS),
    *((bucket, rule) for bucket in _BUCKETS for rule in _SECURE_BUCKET_ACKS),
    # Async results: SageMaker names each object after the request (constructs/asynchronous.py).
    *(("CdkSagemakerAsyncNotifications/Model/Policy", f"{_IAM5}[Resource::{_ASYNC_BUCKET}/{prefix}/*]")
      for prefix in ("inputs", "outputs", "failures")),
    # Batch transform reads every object under input/ and writes under output/ (constructs/batch_transform.py).
    *(("CdkSagemakerBatchTransformNightly/Model", f"{_IAM5}[Resource::{_BATCH_BUCKET}/{prefix}/*]")
      for prefix in ("input", "output")),
    ("CdkSagemakerBatchTransformNightly/Nightly/Policy", f"{_IAM5}[Resource::*]"),
    ("CdkSagemakerBatchTransformNightly/Nightly/Policy",
     f"{_IAM5}[Resource::arn:<AWS::Partition>:sagemaker:<AWS::Region>:<AWS::AccountId>:transform-job/nightly-c8b4d7-*]"),
    # Data capture objects are named after endpoint, variant and hour (constructs/capture.py).
    *((model, _CAPTURE) for model in ("CdkSagemakerRealtimeAbTest/Challenger", "CdkSagemakerRealtimeAbTest/Champion",
                                      "CdkSagemakerRealtimeShadow/Candidate", "CdkSagemakerRealtimeShadow/Production",
                                      "CdkSagemakerMonitored/Model")),
    # Model Monitor reads captured data and writes per-run reports; processing jobs name their log streams; ECR
    # tokens and PutMetricData (condition: the monitor's namespace) take no resource (constructs/model_monitor.py).
    *((f"CdkSagemakerMonitored/{m}/Policy", rule) for m in ("DataQuality", "ModelQuality") for rule in (
        f"{_IAM5}[Resource::*]", _CAPTURE,
        f"{_IAM5}[Resource::<DataQualityReports95856583.Arn>/model-monitor/{m}/*]",
        f"{_IAM5}[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:"
        "/aws/sagemaker/ProcessingJobs:*]")),
    # Ground-truth labels are uploaded per hour under the prefix the user gives.
    ("CdkSagemakerMonitored/ModelQuality/Policy",
     f"{_IAM5}[Resource::arn:<AWS::Partition>:s3:::<Baselines974D5F96>/ground-truth/*]"),
    # A multi-model container reads any artifact under its prefix (constructs/model.py).
    ("CdkSagemakerRealtimeMultiModel/Model", f"{_IAM5}[Resource::<ModelsC55D3500.Arn>/models/*]"),
    # SageMaker attaches the model's network interfaces in the VPC (constructs/model.py, network=).
    ("CdkSagemakerRealtimePrivate/Model/Policy",
     f"{_IAM5}[Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:network-interface/*]"),
    # A registered model's artifacts are named by prefix (constructs/registry.py, ModelPackage(artifacts=[...])).
    ("CdkSagemakerRegistryPromotion/Model/Policy",
     f"{_IAM5}[Resource::arn:<AWS::Partition>:s3:::<RegistryArtifacts12B79DB6>/models/churn/*]"),
    # The promotion build writes one log stream per build in its own log group (stacks/registry_promotion.py).
    ("CdkSagemakerRegistryPromotion/PromotionPolicy", f"{_IAM5}[Resource::<PromotionLogs01A6DBD5.Arn>]"),
    # The build's source is an S3 object, not a GitHub/Bitbucket repository (stacks/registry_promotion.py).
    ("CdkSagemakerRegistryPromotion/PromotionBuild", "HIPAA.Security::HIPAA.Security-CodeBuildProjectSourceRepoUrl"),
    # Uncompressed model data: the container reads every object under its S3 prefix (ModelData.from_bucket_prefix).
    *((f"CdkSagemakerLlmInferenceComponents/{model}", f"{_IAM5}[Resource::<ModelsC55D3500.Arn>/models/{prefix}/*]")
      for model, prefix in (("Chat", "chat"), ("Embed", "embed"))),
    # ml.g5 instances have local NVMe storage, which SageMaker encrypts in hardware; it rejects a KmsKeyId on the
    # config (constructs/endpoint.py).
    *(("CdkSagemakerLlmInferenceComponents/Endpoint/Config",
       f"{pack}::{pack}-SageMakerEndpointConfigurationKMSKeyConfigured")
      for pack in ("NIST.800.53.R5", "HIPAA.Security")),
    # Recorded by aws-cdk-lib itself (not cdk-nag) for the env-agnostic VPC's Fn::GetAZs lookups.
    ("CdkSagemakerRealtimePrivate", "CloudFormation-Validate::W3010"),
    # The API in front of an endpoint (constructs/rest_api.py): no cache (answers depend on the body), no client
    # certificate (only AWS service integrations), and IAM rather than Cognito authorization.
    *(("CdkSagemakerRestApi/Api/Resource/DeploymentStage.prod", f"{pack}::{pack}-{rule}")
      for pack in ("NIST.800.53.R5", "HIPAA.Security")
      for rule in ("APIGWCacheEnabledAndEncrypted", "APIGWSSLEnabled")),
    ("CdkSagemakerRestApi/Api/Resource/Default/invocations/POST", "AwsSolutions::AwsSolutions-COG4"),
    # Serverless Inference takes no KMS key on its endpoint config (constructs/serverless.py).
    *(("CdkSagemakerServerlessProvisioned/Endpoint/Config",
       f"{pack}::{pack}-SageMakerEndpointConfigurationKMSKeyConfigured")
      for pack in ("NIST.800.53.R5", "HIPAA.Security")),
}


@pytest.fixture(scope="module")
def example_acknowledgements() -> list[Any]:
    """The example app's acknowledgements, listed once for the tests below (a walk of every construct)."""
    return acknowledgements(build_app(cdk.App()))


def test_acknowledgements_are_the_reviewed_list(example_acknowledgements: list[Any]) -> None:
    assert {(a.path, a.rule) for a in example_acknowledgements} == EXPECTED


def test_every_acknowledgement_is_exact_and_has_a_reason(example_acknowledgements: list[Any]) -> None:
    for ack in example_acknowledgements:
        pack, _, rule = ack.rule.partition("::")
        assert pack and rule, ack
        assert rule.startswith(f"{pack}-") or pack == "CloudFormation-Validate", ack  # never a whole pack
        assert len(ack.reason) >= 40, ack  # a written reason, not a placeholder


# -- every acknowledgement matches in every environment (issue 15, item 9) ------------------------------------------
# cdk-nag names a resource finding after the synthesized value (flattenCfnReference): Stack.format_arn writes an
# explicit env's region and account literally, and a bucket of another stack becomes an Fn::ImportValue at synthesis.
# An acknowledgement written with pseudo-parameter text matched only env-agnostic single stacks.

ACCOUNT = "123456789012"
#: env-agnostic, two commercial regions, China (aws-cn) and GovCloud (aws-us-gov).
ENVS: dict[str, tuple[str, str] | None] = {
    "agnostic": None,
    "us-east-1": (ACCOUNT, "us-east-1"),
    "eu-west-1": (ACCOUNT, "eu-west-1"),
    "cn-north-1": (ACCOUNT, "cn-north-1"),
    "us-gov-west-1": (ACCOUNT, "us-gov-west-1"),
}


def env_app(env: tuple[str, str] | None) -> tuple[cdk.App, cdk.Environment | None]:
    """An app (with the AZ context an explicit-env VPC needs, as `cdk synth` would look it up) and its env."""
    if env is None:
        return cdk.App(), None
    account, region = env
    azs = {f"availability-zones:account={account}:region={region}": [f"{region}{z}" for z in "abc"]}
    return cdk.App(context=azs), cdk.Environment(account=account, region=region)


#: (stack, environment) pairs the service does not offer, with what the construct says instead.
UNAVAILABLE: dict[tuple[str, str], str] = {
    # The SageMaker SDK's image_uris (our image catalogue) has no Model Monitor analyzer in GovCloud.
    ("CdkSagemakerMonitored", "us-gov-west-1"): "region must have a prebuilt model-monitor image",
}


@pytest.mark.slow
@pytest.mark.parametrize("env", list(ENVS))
@pytest.mark.parametrize("name", sorted(STACKS))
def test_example_stack_is_compliant_in_every_environment(name: str, env: str) -> None:
    app, environment = env_app(ENVS[env])
    if (name, env) in UNAVAILABLE:
        from cdk_sagemaker.errors import ValidationError

        with pytest.raises(ValidationError, match=UNAVAILABLE[(name, env)]):
            STACKS[name](app, name, env=environment)
        return
    STACKS[name](app, name, env=environment)
    assert_compliant(app)


def _security_sample() -> str:
    """docs/security.md's "Private networking in five lines" sample, with the stack's env as a parameter."""
    doc = (ROOT / "docs" / "security.md").read_text()
    code = re.search(r"## Private networking in five lines\n+```python\n(.*?)^```", doc, re.S | re.M)
    assert code, "docs/security.md lost its private-networking sample"
    sample = code[1]
    for old, new in (('app = cdk.App()', 'app = cdk.App(context=CONTEXT)'),
                     ('cdk.Stack(app, "PrivateInference")', 'cdk.Stack(app, "PrivateInference", env=ENV)'),
                     ('app.synth()', '')):
        assert old in sample, f"docs/security.md sample changed: {old!r} not found"
        sample = sample.replace(old, new)
    return sample


@pytest.mark.slow
@pytest.mark.parametrize("env", list(ENVS))
def test_security_doc_private_network_sample_is_compliant_in_every_environment(env: str) -> None:
    app, environment = env_app(ENVS[env])
    context = {key: app.node.try_get_context(key) for key in _az_keys(ENVS[env])}
    scope: dict[str, Any] = {"CONTEXT": context, "ENV": environment}
    exec(compile(_security_sample(), "docs/security.md", "exec"), scope)  # our own doc sample
    assert_compliant(scope["app"])


def _az_keys(env: tuple[str, str] | None) -> list[str]:
    return [] if env is None else [f"availability-zones:account={env[0]}:region={env[1]}"]


def test_acknowledgements_follow_a_bucket_in_another_stack() -> None:
    """A multi-model prefix in a bucket of another stack: cdk-nag sees the Fn::ImportValue CDK writes at synthesis,
    so the acknowledgement made when the model was built must be re-derived then."""
    app = cdk.App()
    data = SecureBucket(cdk.Stack(app, "Data"), "Models")
    stack = cdk.Stack(app, "Serving")
    model = Model(stack, "Model", containers=[ContainerDefinition(
        image=ContainerImage.from_prebuilt("xgboost", "1.7-1"), model_data=ModelData.from_bucket(data, "models/"),
        multi_model=True)])
    RealtimeEndpoint(stack, "Endpoint", model=model, instance_type="ml.m5.xlarge")
    assert_compliant(app)
    rules = {a.rule for a in acknowledgements(stack) if a.path == "Serving/Model"}
    assert any("Fn::ImportValue" not in r and ":ExportsOutputFnGetAtt" in r and r.endswith("/models/*]")
               for r in rules), rules


@pytest.mark.parametrize(("value", "text"), [
    ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/*"),
    ({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":ec2:eu-west-1:123456789012:network-interface/*"]]},
     "arn:<AWS::Partition>:ec2:eu-west-1:123456789012:network-interface/*"),
    ({"Fn::Join": ["", [{"Fn::GetAtt": ["Bucket83908E77", "Arn"]}, "/p/*"]]}, "<Bucket83908E77.Arn>/p/*"),
    ({"Fn::Sub": "arn:${AWS::Partition}:s3:::b/*"}, "arn:<AWS::Partition>:s3:::b/*"),
    ({"Fn::Join": ["", [{"Fn::ImportValue": "A:ExportsOutputRefB"}, "/*"]]}, "A:ExportsOutputRefB/*"),
    ({"Fn::Select": [0, ["a*", "b"]]}, '{"Fn::Select":[0,["a*","b"]]}'),
    ({"Fn::Sub": ["${B}/*", {"B": "x"}]}, '["${B}/*",{"B":"x"}]'),
])
def test_finding_text_mirrors_cdk_nag(value: object, text: str) -> None:
    assert flatten_cfn_reference(value) == text
