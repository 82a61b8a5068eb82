"""Fill the gaps of moto's CloudFormation: attributes of deployed resources, and resources made through APIs.

Measured on moto 5.2.5: its CloudFormation skips (with a warning) ``AWS::ApplicationAutoScaling::ScalableTarget``,
``AWS::ApplicationAutoScaling::ScalingPolicy`` and ``AWS::CloudWatch::Alarm``, whose service APIs work; it reads
only some properties of the SageMaker resources (:data:`MOTO_HONOURED_PROPERTIES`).
"""

from __future__ import annotations

import ast
import contextlib
import functools
import hashlib
import importlib.metadata
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from cdk_sagemaker.local.resolver import UnresolvableError

MOTO_HONOURED_PROPERTIES: dict[str, frozenset[str]] = {
    "AWS::SageMaker::Model": frozenset({"ExecutionRoleArn", "PrimaryContainer", "Containers", "VpcConfig", "Tags"}),
    "AWS::SageMaker::EndpointConfig": frozenset(
        {"ProductionVariants", "DataCaptureConfig", "AsyncInferenceConfig", "KmsKeyId", "Tags"}
    ),
    "AWS::SageMaker::Endpoint": frozenset({"EndpointConfigName", "Tags"}),
}
"""Properties moto 5.2.5's CloudFormation passes on, per SageMaker type; any other property is dropped."""

IGNORED_TYPES = frozenset({"AWS::CDK::Metadata"})
"""Template resources with no service behind them (the CDK CLI's usage metadata)."""

ClientFor = Callable[[str], Any]


@dataclass(frozen=True, kw_only=True, slots=True)
class Made:
    """A resource made through an API: its Ref value, its attributes, how to undo it."""

    physical_id: str
    attributes: dict[str, Any]
    api: str
    undo: Callable[[], None]


# --- attributes of resources moto deployed ----------------------------------------------------------------------
def _arn_tail(physical_id: str) -> str:
    return physical_id.split("/")[-1] if physical_id.startswith("arn:") else physical_id


def _iam_role(clients: ClientFor, physical_id: str, attribute: str) -> Any:
    role = clients("iam").get_role(RoleName=physical_id)["Role"]
    return {"Arn": role["Arn"], "RoleId": role["RoleId"]}[attribute]


def _s3_bucket(clients: ClientFor, physical_id: str, attribute: str) -> Any:
    region = clients("s3").meta.region_name
    return {
        "Arn": f"arn:aws:s3:::{physical_id}",
        "DomainName": f"{physical_id}.s3.amazonaws.com",
        "RegionalDomainName": f"{physical_id}.s3.{region}.amazonaws.com",
        "DualStackDomainName": f"{physical_id}.s3.dualstack.{region}.amazonaws.com",
        "WebsiteURL": f"http://{physical_id}.s3-website-{region}.amazonaws.com",
    }[attribute]


def _kms_key(clients: ClientFor, physical_id: str, attribute: str) -> Any:
    key = clients("kms").describe_key(KeyId=physical_id)["KeyMetadata"]
    return {"Arn": key["Arn"], "KeyId": key["KeyId"]}[attribute]


def _sns_topic(clients: ClientFor, physical_id: str, attribute: str) -> Any:
    return {"TopicArn": physical_id, "TopicName": physical_id.split(":")[-1]}[attribute]


def _sqs_queue(clients: ClientFor, physical_id: str, attribute: str) -> Any:
    if attribute == "QueueUrl":
        return physical_id
    if attribute == "QueueName":
        return physical_id.rstrip("/").split("/")[-1]
    arn = clients("sqs").get_queue_attributes(QueueUrl=physical_id, AttributeNames=["QueueArn"])
    return {"Arn": arn["Attributes"]["QueueArn"]}[attribute]


def _lambda_function(clients: ClientFor, physical_id: str, attribute: str) -> Any:
    return {"Arn": clients("lambda").get_function(FunctionName=physical_id)["Configuration"]["FunctionArn"]}[attribute]


def _events_rule(clients: ClientFor, physical_id: str, attribute: str) -> Any:
    name = physical_id.split("|")[-1].split("/")[-1]
    return {"Arn": clients("events").describe_rule(Name=name)["Arn"]}[attribute]


def _state_machine(clients: ClientFor, physical_id: str, attribute: str) -> Any:
    return {"Arn": physical_id, "Name": physical_id.split(":")[-1]}[attribute]


def _log_group(clients: ClientFor, physical_id: str, attribute: str) -> Any:
    region = clients("logs").meta.region_name
    account = clients("sts").get_caller_identity()["Account"]
    return {"Arn": f"arn:aws:logs:{region}:{account}:log-group:{physical_id}:*"}[attribute]


def _vpc(clients: ClientFor, physical_id: str, attribute: str) -> Any:
    ec2 = clients("ec2")
    if attribute == "DefaultSecurityGroup":
        groups = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [physical_id]},
                                                       {"Name": "group-name", "Values": ["default"]}])
        return groups["SecurityGroups"][0]["GroupId"]
    vpc = ec2.describe_vpcs(VpcIds=[physical_id])["Vpcs"][0]
    return {"CidrBlock": vpc["CidrBlock"], "VpcId": physical_id}[attribute]


def _security_group(clients: ClientFor, physical_id: str, attribute: str) -> Any:
    if attribute == "GroupId" and physical_id.startswith("sg-"):
        return physical_id
    group = clients("ec2").describe_security_groups(GroupIds=[physical_id])["SecurityGroups"][0]
    return {"GroupId": group["GroupId"], "VpcId": group.get("VpcId")}[attribute]


_ATTRIBUTE_READERS: dict[str, Callable[[ClientFor, str, str], Any]] = {
    "AWS::IAM::Role": _iam_role,
    "AWS::S3::Bucket": _s3_bucket,
    "AWS::KMS::Key": _kms_key,
    "AWS::SNS::Topic": _sns_topic,
    "AWS::SQS::Queue": _sqs_queue,
    "AWS::Lambda::Function": _lambda_function,
    "AWS::Events::Rule": _events_rule,
    "AWS::StepFunctions::StateMachine": _state_machine,
    "AWS::Logs::LogGroup": _log_group,
    "AWS::EC2::VPC": _vpc,
    "AWS::EC2::SecurityGroup": _security_group,
}


def deployed_attribute(clients: ClientFor, resource_type: str, physical_id: str, attribute: str) -> Any:
    """``Fn::GetAtt`` of a resource moto's CloudFormation created, read from its physical id and service API."""
    if resource_type.startswith("AWS::SageMaker::") and attribute.endswith("Name"):
        return _arn_tail(physical_id)  # SageMaker physical ids are ARNs; *Name attributes are their last part
    reader = _ATTRIBUTE_READERS.get(resource_type)
    if reader is not None:
        try:
            return reader(clients, physical_id, attribute)
        except KeyError:
            pass
    if attribute == "Arn" and physical_id.startswith("arn:"):
        return physical_id
    raise UnresolvableError(f"Fn::GetAtt {attribute} of {resource_type} is not known to the local engine")


# --- resources made through service APIs --------------------------------------------------------------------------
def coerce(value: Any, shape: Any) -> Any:
    """``value`` (template JSON) converted to what botocore's ``shape`` wants: numbers from strings and so on."""
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, Mapping):
            raise UnresolvableError(f"{shape.name} needs an object, got {value!r}")
        unknown = sorted(set(value) - set(shape.members))
        if unknown:
            raise UnresolvableError(f"{shape.name} has no member(s) {', '.join(unknown)}")
        return {key: coerce(item, shape.members[key]) for key, item in value.items()}
    if kind == "list":
        items = value if isinstance(value, list) else [value]
        return [coerce(item, shape.member) for item in items]
    if kind == "map":
        return {str(key): coerce(item, shape.value) for key, item in dict(value).items()}
    if kind in ("integer", "long"):
        return int(value)
    if kind in ("double", "float"):
        return float(value)
    if kind == "boolean":
        return value if isinstance(value, bool) else str(value).lower() == "true"
    if kind == "string":
        return value if isinstance(value, str) else str(value)
    return value


def call(client: Any, operation: str, parameters: Mapping[str, Any]) -> Any:
    """Call ``client.<operation>`` after coercing ``parameters`` to the operation's input shape."""
    model = client.meta.service_model
    api_name = "".join(part.capitalize() for part in operation.split("_"))
    shape = model.operation_model(api_name).input_shape
    return getattr(client, operation)(**coerce(dict(parameters), shape))


def _pick(properties: Mapping[str, Any], *names: str) -> dict[str, Any]:
    return {name: properties[name] for name in names if name in properties}


def _generated_name(stack_name: str, logical_id: str) -> str:
    suffix = hashlib.sha256(f"{stack_name}/{logical_id}".encode()).hexdigest()[:12].upper()
    return f"{stack_name}-{logical_id}-{suffix}"


def _scalable_target(clients: ClientFor, stack_name: str, logical_id: str, properties: Mapping[str, Any]) -> Made:
    client = clients("application-autoscaling")
    target = _pick(properties, "ServiceNamespace", "ResourceId", "ScalableDimension", "MinCapacity", "MaxCapacity")
    target.update(_pick(properties, "SuspendedState"))
    if "RoleARN" in properties:
        target["RoleARN"] = properties["RoleARN"]
    response = call(client, "register_scalable_target", target)
    key = {name: target[name] for name in ("ServiceNamespace", "ResourceId", "ScalableDimension")}
    api = "application-autoscaling:RegisterScalableTarget"
    for action in properties.get("ScheduledActions", []):
        scheduled = {"ScheduledActionName": action["ScheduledActionName"], "Schedule": action["Schedule"], **key}
        scheduled.update(_pick(action, "StartTime", "EndTime", "Timezone", "ScalableTargetAction"))
        call(client, "put_scheduled_action", scheduled)
        api += "+PutScheduledAction"
    physical_id = f"{target['ResourceId']}|{target['ScalableDimension']}|{target['ServiceNamespace']}"

    def undo() -> None:
        for action in properties.get("ScheduledActions", []):
            client.delete_scheduled_action(ScheduledActionName=action["ScheduledActionName"], **key)
        client.deregister_scalable_target(**key)

    attributes = {"Id": physical_id, "ScalableTargetARN": response.get("ScalableTargetARN", "")}
    return Made(physical_id=physical_id, attributes=attributes, api=api, undo=undo)


def _scaling_policy(clients: ClientFor, stack_name: str, logical_id: str, properties: Mapping[str, Any]) -> Made:
    client = clients("application-autoscaling")
    policy = _pick(properties, "PolicyName", "PolicyType")
    if "ScalingTargetId" in properties:
        resource_id, dimension, namespace = str(properties["ScalingTargetId"]).split("|")
        policy.update(ResourceId=resource_id, ScalableDimension=dimension, ServiceNamespace=namespace)
    else:
        policy.update(_pick(properties, "ResourceId", "ScalableDimension", "ServiceNamespace"))
    policy.update(
        _pick(
            properties,
            "StepScalingPolicyConfiguration",
            "TargetTrackingScalingPolicyConfiguration",
            "PredictiveScalingPolicyConfiguration",
        )
    )
    arn = call(client, "put_scaling_policy", policy)["PolicyARN"]
    key = {name: policy[name] for name in ("PolicyName", "ServiceNamespace", "ResourceId", "ScalableDimension")}

    def undo() -> None:
        client.delete_scaling_policy(**key)

    return Made(physical_id=arn, attributes={"Arn": arn}, api="application-autoscaling:PutScalingPolicy", undo=undo)


def _metric_alarm(clients: ClientFor, stack_name: str, logical_id: str, properties: Mapping[str, Any]) -> Made:
    client = clients("cloudwatch")
    alarm = dict(properties)
    alarm.setdefault("AlarmName", _generated_name(stack_name, logical_id))
    call(client, "put_metric_alarm", alarm)
    name = str(alarm["AlarmName"])
    arn = client.describe_alarms(AlarmNames=[name])["MetricAlarms"][0]["AlarmArn"]

    def undo() -> None:
        client.delete_alarms(AlarmNames=[name])

    return Made(physical_id=name, attributes={"Arn": arn}, api="cloudwatch:PutMetricAlarm", undo=undo)


def _composite_alarm(clients: ClientFor, stack_name: str, logical_id: str, properties: Mapping[str, Any]) -> Made:
    client = clients("cloudwatch")
    alarm = dict(properties)
    alarm.setdefault("AlarmName", _generated_name(stack_name, logical_id))
    call(client, "put_composite_alarm", alarm)
    name = str(alarm["AlarmName"])
    arn = client.describe_alarms(AlarmNames=[name], AlarmTypes=["CompositeAlarm"])["CompositeAlarms"][0]["AlarmArn"]

    def undo() -> None:
        client.delete_alarms(AlarmNames=[name])

    return Made(physical_id=name, attributes={"Arn": arn}, api="cloudwatch:PutCompositeAlarm", undo=undo)


def _restrict_default_sg(clients: ClientFor, stack_name: str, logical_id: str,
                         properties: Mapping[str, Any]) -> Made:
    """What the CDK's ``Custom::VpcRestrictDefaultSG`` handler does: remove every rule of the VPC's default group."""
    ec2 = clients("ec2")
    group_id = str(properties["DefaultSecurityGroupId"])
    group = ec2.describe_security_groups(GroupIds=[group_id])["SecurityGroups"][0]
    ingress, egress = group.get("IpPermissions", []), group.get("IpPermissionsEgress", [])
    if ingress:
        ec2.revoke_security_group_ingress(GroupId=group_id, IpPermissions=ingress)
    if egress:
        ec2.revoke_security_group_egress(GroupId=group_id, IpPermissions=egress)

    def undo() -> None:
        if ingress:
            ec2.authorize_security_group_ingress(GroupId=group_id, IpPermissions=ingress)
        if egress:
            ec2.authorize_security_group_egress(GroupId=group_id, IpPermissions=egress)

    api = "ec2:RevokeSecurityGroupIngress+RevokeSecurityGroupEgress (the custom resource's handler)"
    return Made(physical_id=group_id, attributes={}, api=api, undo=undo)


def _s3_prefix_list(clients: ClientFor, stack_name: str, logical_id: str,
                    properties: Mapping[str, Any]) -> Made:
    """What cdk-sagemaker's ``Custom::S3PrefixList`` handler does: look up an AWS-managed prefix list by name."""
    name = str(properties["PrefixListName"])
    found = clients("ec2").describe_managed_prefix_lists(
        Filters=[{"Name": "prefix-list-name", "Values": [name]}])["PrefixLists"]
    if not found:
        raise LookupError(f"no AWS-managed prefix list named {name}")
    prefix_list_id = str(found[0]["PrefixListId"])
    return Made(physical_id=prefix_list_id, attributes={"PrefixListId": prefix_list_id},
                api="ec2:DescribeManagedPrefixLists (the custom resource's handler)", undo=lambda: None)


def _security_group_rule(direction: str) -> Callable[[ClientFor, str, str, Mapping[str, Any]], Made]:
    """``AWS::EC2::SecurityGroupIngress``/``Egress`` (moto's CloudFormation skips both) through Authorize*."""

    def make(clients: ClientFor, stack_name: str, logical_id: str, properties: Mapping[str, Any]) -> Made:
        ec2 = clients("ec2")
        permission: dict[str, Any] = {"IpProtocol": str(properties["IpProtocol"])}
        permission.update({k: int(properties[k]) for k in ("FromPort", "ToPort") if k in properties})
        description = {"Description": properties["Description"]} if "Description" in properties else {}
        peer = properties.get("SourceSecurityGroupId") or properties.get("DestinationSecurityGroupId")
        if peer is not None:
            permission["UserIdGroupPairs"] = [{"GroupId": str(peer), **description}]
        elif "CidrIp" in properties:
            permission["IpRanges"] = [{"CidrIp": str(properties["CidrIp"]), **description}]
        elif "DestinationPrefixListId" in properties or "SourcePrefixListId" in properties:
            prefix = properties.get("DestinationPrefixListId") or properties["SourcePrefixListId"]
            permission["PrefixListIds"] = [{"PrefixListId": str(prefix), **description}]
        group_id = str(properties["GroupId"])
        getattr(ec2, f"authorize_security_group_{direction}")(GroupId=group_id, IpPermissions=[permission])

        def undo() -> None:
            getattr(ec2, f"revoke_security_group_{direction}")(GroupId=group_id, IpPermissions=[permission])

        api = f"ec2:AuthorizeSecurityGroup{direction.capitalize()}"
        return Made(physical_id=_generated_name(stack_name, logical_id), attributes={}, api=api, undo=undo)

    return make


EMULATORS: dict[str, Callable[[ClientFor, str, str, Mapping[str, Any]], Made]] = {
    "AWS::ApplicationAutoScaling::ScalableTarget": _scalable_target,
    "AWS::ApplicationAutoScaling::ScalingPolicy": _scaling_policy,
    "AWS::CloudWatch::Alarm": _metric_alarm,
    "AWS::CloudWatch::CompositeAlarm": _composite_alarm,
    "Custom::VpcRestrictDefaultSG": _restrict_default_sg,
    "Custom::S3PrefixList": _s3_prefix_list,
    "AWS::EC2::SecurityGroupIngress": _security_group_rule("ingress"),
    "AWS::EC2::SecurityGroupEgress": _security_group_rule("egress"),
}
"""Resource types the engine can make through their service API when moto's CloudFormation skips them."""

DEFERRED_TYPES = frozenset({"Custom::VpcRestrictDefaultSG", "Custom::S3PrefixList"})
"""Custom resources whose Lambda handler moto cannot run (no Docker): the stack would wait for their response
forever. They are left out of the template sent to moto and made through :data:`EMULATORS` afterwards."""


def without_deferred(template: Mapping[str, Any]) -> dict[str, Any]:
    """``template`` without :data:`DEFERRED_TYPES` resources (and ``DependsOn`` entries naming them)."""
    resources = template.get("Resources", {})
    deferred = {lid for lid, body in resources.items() if body.get("Type") in DEFERRED_TYPES}
    if not deferred:
        return dict(template)
    kept: dict[str, Any] = {}
    for lid, body in resources.items():
        if lid in deferred:
            continue
        depends = body.get("DependsOn")
        if depends is not None:
            names = [depends] if isinstance(depends, str) else list(depends)
            body = {**body, "DependsOn": [n for n in names if n not in deferred]}
            if not body["DependsOn"]:
                del body["DependsOn"]
        kept[lid] = body
    return {**template, "Resources": kept}


MOTO_ABSENT_TYPES = frozenset({"AWS::SageMaker::InferenceComponent"})
"""Resource types moto's CloudFormation skips and no moto API can make; outputs that refer to them would fail the
whole stack in moto, so they are left out (and reported)."""


def _referenced(value: Any) -> list[str]:
    if isinstance(value, dict):
        found: list[str] = []
        for key, inner in value.items():
            if key == "Ref" and isinstance(inner, str):
                found.append(inner)
            elif key == "Fn::GetAtt" and isinstance(inner, list) and inner:
                found.append(str(inner[0]))
            elif key == "Fn::GetAtt" and isinstance(inner, str):
                found.append(inner.split(".")[0])
            else:
                found.extend(_referenced(inner))
        return found
    if isinstance(value, list):
        return [name for inner in value for name in _referenced(inner)]
    return []


# --- instance types moto does not list ----------------------------------------------------------------------------
@functools.cache
def moto_instance_types() -> frozenset[str]:
    """The instance types moto's SageMaker accepts in an endpoint config's production variants, read from moto itself.

    moto keeps the list inside ``FakeEndpointConfig.validate_instance_type`` (5.2.5 lists 66 types: no g5, g6, p4d,
    p5, inf2, trn1, ...) and names it in the error it raises for any other type, so it is read from that error.
    Empty when moto is not installed or words the error differently (then nothing is replaced).
    """
    try:
        from moto.sagemaker.models import FakeEndpointConfig
    except ImportError:
        return frozenset()
    try:
        FakeEndpointConfig.validate_instance_type(None, "ml.cdk-sagemaker-probe")  # type: ignore[arg-type]
    except Exception as error:  # moto.sagemaker.exceptions.ValidationError
        found = re.search(r"enum value set: (\[[^\]]*\])", str(getattr(error, "message", error)))
        if found:
            with contextlib.suppress(ValueError, SyntaxError):
                return frozenset(str(t) for t in ast.literal_eval(found[1]))
    return frozenset()


_SIZES = ("medium", "large", "xlarge")


def _size_rank(size: str) -> int:
    """``medium`` < ``large`` < ``xlarge`` < ``2xlarge`` < ... < ``48xlarge`` (``metal`` last)."""
    if size in _SIZES:
        return _SIZES.index(size)
    number = re.match(r"^(\d+)xlarge$", size)
    return 2 + int(number[1]) if number else 1000


def _accelerator(family: str) -> str:
    """``gpu`` (g*, p* families), ``neuron`` (inf*, trn*) or ``cpu``: what a stand-in must share."""
    if family.startswith(("inf", "trn")):
        return "neuron"
    if family.startswith(("g", "p")):
        return "gpu"
    return "cpu"


def stand_in_instance_type(instance_type: str, known: Collection[str]) -> str | None:
    """A type from ``known`` (moto's list) to deploy ``instance_type`` on locally: the same kind of accelerator
    (GPU, Neuron, none), preferably the same family letter, then the newest such family, then the nearest size
    (``ml.g5.2xlarge`` -> ``ml.g4dn.2xlarge``, ``ml.trn1.32xlarge`` -> ``ml.inf1.24xlarge``,
    ``ml.m7i.large`` -> ``ml.m5.large``). ``None`` when nothing of that kind is known."""
    family, _, size = instance_type.removeprefix("ml.").partition(".")
    kind = _accelerator(family)

    def score(candidate: str) -> tuple[int, int, int, int, str]:
        cfamily, _, csize = candidate.removeprefix("ml.").partition(".")
        generation = re.search(r"\d+", cfamily)
        return (cfamily[0] != family[:1], len(cfamily), -int(generation[0]) if generation else 0,
                abs(_size_rank(csize) - _size_rank(size)), candidate)

    candidates = [t for t in known if t.startswith("ml.") and _accelerator(t[3:].partition(".")[0]) == kind]
    return min(candidates, key=score) if candidates else None


def _moto_version() -> str:
    try:
        return importlib.metadata.version("moto")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - moto is needed to get here
        return "?"


def _stand_in_variants(lid: str, props: dict[str, Any], known: Collection[str],
                       notes: list[tuple[str, str, str]]) -> dict[str, Any]:
    variants = props.get("ProductionVariants")
    if not known or not isinstance(variants, list):
        return props
    changed = []
    for variant in variants:
        wanted = variant.get("InstanceType") if isinstance(variant, dict) else None
        stand_in = (stand_in_instance_type(wanted, known)
                    if isinstance(wanted, str) and wanted not in known else None)
        if stand_in is None:
            changed.append(variant)
            continue
        changed.append({**variant, "InstanceType": stand_in})
        notes.append((f"{lid}.{variant.get('VariantName', '?')}.InstanceType", "AWS::SageMaker::EndpointConfig",
                      f"moto {_moto_version()} does not know instance type {wanted}: deployed locally on the "
                      f"stand-in {stand_in}"))
    return {**props, "ProductionVariants": changed}


def for_moto(
    template: Mapping[str, Any], *, instance_types: Collection[str] | None = None
) -> tuple[dict[str, Any], list[tuple[str, str, str]]]:
    """The template moto's CloudFormation can create, and what was changed for it (``(logical id, type, reason)``).

    Besides leaving out :data:`DEFERRED_TYPES`, three SageMaker shapes that moto cannot take are narrowed:

    - a model with ``Containers`` and no ``PrimaryContainer`` (a serial pipeline or direct-invocation model): moto
      requires ``PrimaryContainer``, so the first container stands in for the model;
    - a production variant with no ``ModelName`` (it hosts inference components, which moto does not have): it is
      given the model of the stack's first inference component;
    - a production variant on an instance type moto does not list (``instance_types``, default
      :func:`moto_instance_types`): it is deployed on a stand-in of the same accelerator kind
      (:func:`stand_in_instance_type`).
    """
    known = moto_instance_types() if instance_types is None else instance_types
    body = without_deferred(template)
    resources = {lid: dict(r) for lid, r in body.get("Resources", {}).items()}
    notes: list[tuple[str, str, str]] = []
    absent = {lid for lid, r in resources.items() if r.get("Type") in MOTO_ABSENT_TYPES}
    outputs = dict(body.get("Outputs", {}))
    for name, output in list(outputs.items()):
        if absent & set(_referenced(output)):
            del outputs[name]
            notes.append((f"Outputs.{name}", "Output", "refers to a resource type moto does not have"))
    if outputs or "Outputs" in body:
        body = {**body, "Outputs": outputs}
    if not outputs:
        body.pop("Outputs", None)
    for lid, resource in resources.items():
        props = resource.get("Properties")
        if resource.get("Type") == "AWS::SageMaker::Model" and isinstance(props, dict):
            containers = props.get("Containers")
            if "PrimaryContainer" not in props and isinstance(containers, list) and containers:
                resource["Properties"] = {**props, "PrimaryContainer": containers[0]}
                notes.append((f"{lid}.Containers", "AWS::SageMaker::Model",
                              f"moto hosts only the first of {len(containers)} containers"))
    component_models = [r["Properties"]["Specification"]["ModelName"] for r in resources.values()
                        if r.get("Type") == "AWS::SageMaker::InferenceComponent"
                        and "ModelName" in r.get("Properties", {}).get("Specification", {})]
    for lid, resource in resources.items():
        props = resource.get("Properties")
        if resource.get("Type") != "AWS::SageMaker::EndpointConfig" or not isinstance(props, dict):
            continue
        props = resource["Properties"] = _stand_in_variants(lid, props, known, notes)
        variants = props.get("ProductionVariants")
        if not isinstance(variants, list) or not component_models:
            continue
        changed = []
        for variant in variants:
            if isinstance(variant, dict) and "ModelName" not in variant:
                changed.append({**variant, "ModelName": component_models[0]})
                notes.append((f"{lid}.{variant.get('VariantName', '?')}", "AWS::SageMaker::EndpointConfig",
                              "hosts inference components, which moto does not have: emulated as a variant "
                              "serving the first component's model"))
            else:
                changed.append(variant)
        resource["Properties"] = {**props, "ProductionVariants": changed}
    return {**body, "Resources": resources}, notes
