"""Issue 16's "the pre-fix templates of the deploy-correctness defects are all flagged", item by item of issue 15.

Every template under tests/rules/prefix/ is as the code before the issue-15 fixes synthesized it: copies of the
pre-fix example stacks (``CdkSagemaker*``, from the pre-fix checkout's ``cdk.out``), and user setups no example shows,
made by ``tests/rules/prefix/_synth.py`` from the pre-fix checkout (``UserRollbackAlarm`` was made the same way
earlier). :data:`DEFECTS` says, per issue-15 item, which rule must fire on which resource of which template, and
:func:`test_nothing_else_fires` holds every pre-fix template to exactly those findings.

Items with no template-visible defect, so no rule (also listed in docs/readiness-rules.md):

- 6. ``Model`` not an ``iam.IGrantable``: ``bucket.grant_read(model)`` raised a TypeError while synthesizing; no
  template was ever produced.
- 9. cdk-nag acknowledgements written with pseudo-parameters: a compliance-pack matter, decided by which findings
  cdk-nag suppresses while synthesizing; the deployed resources are the same.
- 12 (in part). An ``int`` where a ``Duration`` belongs raised an AttributeError while synthesizing; S3 URI error
  messages are about message wording. (The GPU-image, Hub-variable and schedule gaps of item 12 are in the table.)
- 13. The local engine (moto stand-in instance types, destroy order): a property of the local deploy tool.
- 14. Docs that contradicted the code, and key policies granting the account root ``kms:*``: no runtime failure
  follows from either. The one runtime consequence such a key policy could have, CloudWatch alarms that cannot publish
  to an encrypted topic, W9204 covers; the pre-fix topic keys (canary, async, batch) all allowed
  ``cloudwatch.amazonaws.com``, so W9204 is rightly quiet on them, and :data:`MUTATIONS` shows it fires once that
  statement is removed from the canary's pre-fix key.

Item 8 itself (NIST/HIPAA findings not acknowledged for GPU endpoint configs) is a compliance-pack matter too; its
class "wherever the service forbids a key" is in the table: the pre-fix table of NVMe families missed ``p6-*`` and
``dl1``, whose endpoint configs got the ``KmsKeyId`` that CreateEndpointConfig rejects (E9201).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cdk_sagemaker.rules import run

PREFIX = Path(__file__).resolve().parent / "prefix"

# (issue-15 item, pre-fix template, {(rule id, logical id of the resource the finding points at)})
DEFECTS: list[tuple[str, str, set[tuple[str, str]]]] = [
    # 1. InferenceNetwork's model security group allowed 443 to the VPC CIDR only: the S3 gateway endpoint (S3's
    #    public prefix list) is unreachable and the model download fails.
    ("1", "CdkSagemakerRealtimePrivate", {("E9101", "Model0301700E")}),
    # 2. An imported VPC without a CIDR (endpoints=False): the model security group got no egress at all.
    ("2", "ImportedVpcNoCidr", {("E9102", "Model0301700E")}),
    # 3. Auto-scaled endpoints (instances, provisioned concurrency, async) without RetainAllVariantProperties.
    ("3", "CdkSagemakerRealtimeAutoScaling", {("W9401", "EndpointEEF1FD8F")}),
    ("3", "CdkSagemakerServerlessProvisioned", {("W9401", "EndpointEEF1FD8F")}),
    ("3", "CdkSagemakerAsyncNotifications", {("W9401", "EndpointEEF1FD8F")}),
    ("3", "BadScalingSchedules", {("W9401", "EndpointEEF1FD8F")}),
    # 4. The VPC flow-log group had a fixed name and was retained: a re-created stack fails with "already exists".
    ("4", "CdkSagemakerRealtimePrivate", {("E9901", "NetworkFlowLogGroup4F8CEEEF")}),
    # 5. The pipeline's first container set SAGEMAKER_PROGRAM with no model data and no submit directory.
    ("5", "CdkSagemakerRealtimePipeline", {("E9303", "PipelineC660917D")}),
    # 7. DeploymentStrategy.canary(rollback_alarms=False, alarms=[user_alarm]): no cloudwatch:DescribeAlarms on it.
    ("7", "UserRollbackAlarm", {("E9501", "EndpointEEF1FD8F")}),
    # 8 (class: where the service forbids a key). ml.p6-b200 has NVMe storage; the pre-fix family table missed it
    #    and the endpoint config got a KmsKeyId.
    ("8", "KeyOnInstanceStorage", {("E9201", "EndpointConfig24AD0A28")}),
    # 10. Inference components with network-isolated models: isolation not carried to the endpoint config.
    ("10", "CdkSagemakerRealtimeInferenceComponents", {("W9105", "EndpointConfig24AD0A28")}),
    # 11. The transform task's retry re-sent the same TransformJobName.
    ("11", "CdkSagemakerBatchTransformNightly", {("W9703", "Nightly8F4E351F")}),
    # 12. A GPU-only image (huggingface-llm / TGI) on ml.m5.xlarge, and on a serverless endpoint.
    ("12", "GpuImageOnCpu", {("E9302", "EndpointConfig24AD0A28"), ("E9605", "ServerlessConfigCE17EE67")}),
    # 12. Hub downloads under isolation through OPTION_MODEL_ID (LMI) and SM_VLLM_MODEL (vLLM), not HF_MODEL_ID.
    ("12", "HubDownloadIsolated", {("E9301", "LmiF83A1762"), ("E9301", "Vllm6FA83EE9")}),
    # (issue 20, found in the same pre-fix templates) LLM containers (LMI, vLLM, TGI) on instances with SageMaker's
    #    default start-up health-check timeout, too short for their weights to load.
    ("20", "GpuImageOnCpu", {("W9452", "EndpointConfig24AD0A28")}),
    ("20", "HubDownloadIsolated", {("W9452", "LmiEndpointConfigA95F1428"), ("W9452", "VllmEndpointConfig308FB2FF")}),
    # 12. ScheduledScaling.cron(hour="25") and Schedule.expression("rate(1 days)") in AutoScaling(schedules=...).
    #     (BatchTransform rejected both before the fix too, so there is no pre-fix EventBridge template; E9707's
    #     fixtures cover AWS::Events::Rule and AWS::Scheduler::Schedule.)
    ("12", "BadScalingSchedules", {("E9409", "EndpointAutoScalingAllTrafficB9166485")}),
]

# Pre-fix templates on which nothing may fire: the grants and keys they carry are right (see MUTATIONS).
CLEAN = ["CdkSagemakerCanaryRollout", "CdkSagemakerRealtimeShadow"]


def _found(name: str) -> set[tuple[str, str]]:
    return {(m.rule.id, str(m.path[1])) for m in run(PREFIX / f"{name}.template.json") if m.path and len(m.path) > 1}


def test_every_prefix_template_is_listed() -> None:
    listed = {name for _, name, _ in DEFECTS} | set(CLEAN)
    on_disk = {p.name.removesuffix(".template.json") for p in PREFIX.glob("*.template.json")}
    assert listed == on_disk


@pytest.mark.parametrize(("item", "name", "expected"), DEFECTS, ids=[f"item{i}-{n}" for i, n, _ in DEFECTS])
def test_defect_is_flagged(item: str, name: str, expected: set[tuple[str, str]]) -> None:
    found = _found(name)
    missing = expected - found
    assert not missing, f"issue 15 item {item}: {name} lacks {sorted(missing)} (got {sorted(found)})"


@pytest.mark.parametrize("name", sorted({n for _, n, _ in DEFECTS} | set(CLEAN)))
def test_nothing_else_fires(name: str) -> None:
    expected = set().union(*(e for _, n, e in DEFECTS if n == name))
    found = _found(name)
    assert found == expected, f"{name}: unexpected {sorted(found - expected)}, missing {sorted(expected - found)}"


# The permission and key rules read the grants and key policies the pre-fix constructs made: each template is quiet as
# synthesized and the rule fires once the one statement it checks is removed.
# (template, resource, policy property, action whose statements are removed, rule id)
MUTATIONS = [
    ("CdkSagemakerAsyncNotifications", "ModelPolicy4EDEB0D0", "PolicyDocument", "sns:Publish", "W9803"),
    ("CdkSagemakerAsyncNotifications", "ModelPolicy4EDEB0D0", "PolicyDocument", "s3:PutObject", "E9802"),
    ("CdkSagemakerAsyncNotifications", "ModelPolicy4EDEB0D0", "PolicyDocument", "kms:GenerateDataKey", "E9802"),
    ("CdkSagemakerRealtimeShadow", "CandidatePolicy53AFB857", "PolicyDocument", "s3:PutObject", "W9801"),
    ("CdkSagemakerCanaryRollout", "ModelPolicy4EDEB0D0", "PolicyDocument", "cloudwatch:DescribeAlarms", "E9501"),
    ("CdkSagemakerBatchTransformNightly", "NightlyPolicyEA6D427F", "PolicyDocument", "events:PutRule", "E9702"),
    ("CdkSagemakerBatchTransformNightly", "NightlyPolicyEA6D427F", "PolicyDocument", "sagemaker:AddTags", "E9701"),
    # item 14: the canary's rollback topic key; without its cloudwatch.amazonaws.com statement alarms cannot publish
    ("CdkSagemakerCanaryRollout", "TopicKeyB2E0C9CB", "KeyPolicy", "kms:GenerateDataKey*", "W9204"),
    ("CdkSagemakerBatchTransformNightly", "NightlyKeyC4E23B31", "KeyPolicy", "kms:Decrypt", "W9204"),
]


@pytest.mark.parametrize(("name", "resource", "prop", "action", "rule_id"), MUTATIONS,
                         ids=[f"{n}-{r}-{a}" for n, r, _, a, _ in MUTATIONS])
def test_rules_read_the_grants(name: str, resource: str, prop: str, action: str, rule_id: str) -> None:
    template = json.loads((PREFIX / f"{name}.template.json").read_text(encoding="utf-8"))
    assert rule_id not in {m.rule.id for m in run(template)}
    document = template["Resources"][resource]["Properties"][prop]
    statements = document["Statement"]
    kept = [s for s in statements if action not in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])]
    assert len(kept) < len(statements), f"{resource} of {name} does not grant {action}"
    document["Statement"] = kept
    assert rule_id in {m.rule.id for m in run(template)}
