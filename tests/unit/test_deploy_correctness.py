"""Regression tests for the deploy-correctness defects (issue 15) in models, networks and endpoints: each asserts on
the synthesized template what SageMaker needs at create, update or run time, and failed on the code before the fix."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sqs as sqs
from aws_cdk.assertions import Match, Template

from cdk_sagemaker import (
    AsyncEndpoint,
    AutoScaling,
    ContainerImage,
    InferenceNetwork,
    Model,
    ModelData,
    RealtimeEndpoint,
    ServerlessEndpoint,
    ValidationError,
)
from cdk_sagemaker.constructs.model import ContainerDefinition
from cdk_sagemaker.constructs.realtime import ProductionVariant

IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-model:1"
DATA = "s3://my-bucket/model.tar.gz"


def _model(stack: cdk.Stack, id: str = "Model", **kw: Any) -> Model:
    kw.setdefault("image", ContainerImage.from_uri(IMAGE))
    kw.setdefault("model_data", ModelData.from_s3_uri(DATA))
    return Model(stack, id, **kw)


def _egress_rules(t: Template, sg_logical_id: str) -> list[dict[str, Any]]:
    """Every egress rule of a security group: inline ones and AWS::EC2::SecurityGroupEgress resources."""
    inline = t.to_json()["Resources"][sg_logical_id]["Properties"].get("SecurityGroupEgress", [])
    separate = [r["Properties"] for r in t.find_resources("AWS::EC2::SecurityGroupEgress").values()
                if r["Properties"]["GroupId"] == {"Fn::GetAtt": [sg_logical_id, "GroupId"]}]
    return [*inline, *separate]


# -- 1. private networking: the model's security group reaches S3 through the gateway endpoint --------------------
def test_vpc_model_may_reach_s3_prefix_list_on_https_only(stack: cdk.Stack) -> None:
    network = InferenceNetwork(stack, "Network")
    model = _model(stack, network=network)
    t = Template.from_stack(stack)
    lookups = t.find_resources("Custom::S3PrefixList")
    assert len(lookups) == 1
    (lookup_id, lookup), = lookups.items()
    assert lookup["Properties"]["PrefixListName"] == {"Fn::Join": ["", ["com.amazonaws.", {"Ref": "AWS::Region"},
                                                                         ".s3"]]}
    assert model.security_group is not None
    rules = _egress_rules(t, stack.get_logical_id(model.security_group.node.default_child))
    assert {(r.get("IpProtocol"), r.get("FromPort"), r.get("ToPort")) for r in rules} == {("tcp", 443, 443)}
    prefix_rules = [r for r in rules if "DestinationPrefixListId" in r]
    assert [r["DestinationPrefixListId"] for r in prefix_rules] == [{"Fn::GetAtt": [lookup_id, "PrefixListId"]}]
    cidr_rules = [r for r in rules if "CidrIp" in r]
    assert [r["CidrIp"] for r in cidr_rules] == [{"Fn::GetAtt": [stack.get_logical_id(
        network.vpc.node.default_child), "CidrBlock"]}]  # type: ignore[arg-type]


def test_prefix_list_lookup_is_one_per_network_and_may_only_describe(stack: cdk.Stack) -> None:
    network = InferenceNetwork(stack, "Network")
    _model(stack, "A", network=network)
    _model(stack, "B", network=network)
    t = Template.from_stack(stack)
    t.resource_count_is("Custom::S3PrefixList", 1)
    roles = [r for r in t.find_resources("AWS::IAM::Role").values()
             if any("ec2:DescribeManagedPrefixLists" in str(p) for p in r["Properties"].get("Policies", []))]
    assert len(roles) == 1
    statements = roles[0]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    assert [s["Action"] for s in statements] == ["ec2:DescribeManagedPrefixLists"]


# -- 2. imported VPCs ----------------------------------------------------------------------------------------------
def _imported(stack: cdk.Stack, **kw: Any) -> ec2.IVpc:
    return ec2.Vpc.from_vpc_attributes(stack, "Imported", vpc_id="vpc-1234", availability_zones=["a", "b"],
                                       isolated_subnet_ids=["subnet-1", "subnet-2"], **kw)


def test_imported_vpc_without_cidr_and_without_endpoints_is_rejected(stack: cdk.Stack) -> None:
    with pytest.raises(ValidationError, match=r"TestStack/Network: vpc must carry its IPv4 range when "
                       r"endpoints=False: import it with ec2.Vpc.from_vpc_attributes\(\.\.\., "
                       r"vpc_cidr_block=.*got 'a VPC without vpc_cidr_block'"):
        InferenceNetwork(stack, "Network", vpc=_imported(stack), endpoints=False)


def test_imported_vpc_without_route_tables_is_rejected_before_the_gateway_endpoint(stack: cdk.Stack) -> None:
    with pytest.raises(ValidationError, match=r"TestStack/Network: vpc must name the route table of every selected "
                       r"subnet for the S3 gateway endpoint.*isolated_subnet_route_table_ids.*endpoints=False.*"
                       r"got \['subnet-1', 'subnet-2'\]"):
        InferenceNetwork(stack, "Network", vpc=_imported(stack, vpc_cidr_block="10.1.0.0/16"))


def test_imported_vpc_with_cidr_and_no_endpoints_gives_the_model_https_egress(stack: cdk.Stack) -> None:
    network = InferenceNetwork(stack, "Network", vpc=_imported(stack, vpc_cidr_block="10.1.0.0/16"),
                               endpoints=False)
    model = _model(stack, network=network)
    t = Template.from_stack(stack)
    assert model.security_group is not None
    rules = _egress_rules(t, stack.get_logical_id(model.security_group.node.default_child))
    assert any(r.get("CidrIp") == "10.1.0.0/16" and r["FromPort"] == 443 for r in rules)
    assert any("DestinationPrefixListId" in r for r in rules)
    t.resource_count_is("AWS::EC2::VPCEndpoint", 0)


def test_imported_vpc_with_route_tables_gets_the_gateway_endpoint(stack: cdk.Stack) -> None:
    InferenceNetwork(stack, "Network", vpc=_imported(stack, vpc_cidr_block="10.1.0.0/16",
                                                     isolated_subnet_route_table_ids=["rtb-1", "rtb-2"]))
    Template.from_stack(stack).has_resource_properties("AWS::EC2::VPCEndpoint", {
        "VpcEndpointType": "Gateway", "RouteTableIds": ["rtb-1", "rtb-2"]})


# -- 3. updates keep scaled capacity ---------------------------------------------------------------------------
RETAIN = {"RetainAllVariantProperties": True,
          "ExcludeRetainedVariantProperties": [{"VariantPropertyType": "DesiredWeight"}]}


def test_auto_scaled_realtime_endpoint_retains_variant_properties(stack: cdk.Stack) -> None:
    RealtimeEndpoint(stack, "Endpoint", model=_model(stack), instance_count=2,
                     auto_scaling=AutoScaling(min_capacity=2, max_capacity=4, invocations_per_instance=100))
    Template.from_stack(stack).has_resource_properties("AWS::SageMaker::Endpoint", RETAIN)


def test_variant_scaled_after_construction_retains_variant_properties(stack: cdk.Stack) -> None:
    endpoint = RealtimeEndpoint(stack, "Endpoint", model=_model(stack))
    endpoint.variants[0].auto_scale(AutoScaling(min_capacity=1, max_capacity=3, invocations_per_instance=100))
    Template.from_stack(stack).has_resource_properties("AWS::SageMaker::Endpoint", RETAIN)


def test_scaled_async_and_serverless_endpoints_retain_variant_properties(stack: cdk.Stack) -> None:
    AsyncEndpoint(stack, "Async", model=_model(stack), instance_type="ml.m5.xlarge",
                  auto_scaling=AutoScaling(min_capacity=0, max_capacity=2))
    serverless_model = _model(stack, "Serverless", network_isolation=False)
    ServerlessEndpoint(stack, "Sls", model=serverless_model, provisioned_concurrency=2,
                       auto_scaling=AutoScaling(min_capacity=1, max_capacity=4))
    endpoints = Template.from_stack(stack).find_resources("AWS::SageMaker::Endpoint")
    assert len(endpoints) == 2
    for resource in endpoints.values():
        assert resource["Properties"]["RetainAllVariantProperties"] is True


def test_unscaled_endpoint_takes_the_new_configs_counts(stack: cdk.Stack) -> None:
    RealtimeEndpoint(stack, "Endpoint", model=_model(stack), instance_count=2)
    props = next(iter(Template.from_stack(stack).find_resources("AWS::SageMaker::Endpoint").values()))["Properties"]
    assert "RetainAllVariantProperties" not in props


# -- 4. retained resources have no fixed names ---------------------------------------------------------------------
def test_flow_log_group_name_is_new_for_every_creation_of_the_stack(stack: cdk.Stack) -> None:
    InferenceNetwork(stack, "Network")
    t = Template.from_stack(stack)
    (group,) = t.find_resources("AWS::Logs::LogGroup").values()
    assert group["DeletionPolicy"] == "Retain"
    name = group["Properties"]["LogGroupName"]
    assert name["Fn::Join"][1][1] == {"Fn::Select": [2, {"Fn::Split": ["/", {"Ref": "AWS::StackId"}]}]}


_NAME_PROPERTIES = ("LogGroupName", "BucketName", "TopicName", "QueueName", "TableName", "RoleName",
                    "ManagedPolicyName", "StateMachineName", "KeyName", "AliasName", "Name")


def test_no_retained_resource_of_an_example_stack_has_a_fixed_name(example_templates: dict[str, Any]) -> None:
    fixed = []
    for stack_name, template in example_templates.items():
        for logical_id, resource in template["Resources"].items():
            if resource.get("DeletionPolicy") not in ("Retain", "RetainExceptOnCreate", "Snapshot"):
                continue
            for prop in _NAME_PROPERTIES:
                value = resource.get("Properties", {}).get(prop)
                if isinstance(value, str):
                    fixed.append((stack_name, logical_id, prop, value))
    assert fixed == []


# -- 5. SAGEMAKER_PROGRAM needs code -------------------------------------------------------------------------------
@pytest.mark.parametrize(("container", "isolation", "match"), [
    (ContainerDefinition(image=ContainerImage.from_uri(IMAGE), environment={"SAGEMAKER_PROGRAM": "pre.py"}), True,
     r"containers\[0\].environment sets SAGEMAKER_PROGRAM='pre.py' but ships no code: give the container model_data "
     r"holding code/pre.py .*got \{'SAGEMAKER_PROGRAM': 'pre.py'\}"),
    (ContainerDefinition(image=ContainerImage.from_uri(IMAGE), environment={
        "SAGEMAKER_PROGRAM": "pre.py", "SAGEMAKER_SUBMIT_DIRECTORY": "s3://code-bucket/src/sourcedir.tar.gz"}), True,
     r"loads SAGEMAKER_PROGRAM from SAGEMAKER_SUBMIT_DIRECTORY='s3://code-bucket/src/sourcedir.tar.gz', which the "
     r"container downloads when it starts and network isolation blocks"),
    (ContainerDefinition(image=ContainerImage.from_uri(IMAGE), environment={
        "SAGEMAKER_PROGRAM": "pre.py", "SAGEMAKER_SUBMIT_DIRECTORY": "/opt/ml/model/code"}), True,
     r"under /opt/ml/model, but the container has no model_data to put it there"),
], ids=["no-code", "s3-code-isolated", "model-dir-without-data"])
def test_program_without_code_is_rejected(stack: cdk.Stack, container: ContainerDefinition, isolation: bool,
                                          match: str) -> None:
    second = ContainerDefinition(image=ContainerImage.from_uri(IMAGE), model_data=ModelData.from_s3_uri(DATA))
    with pytest.raises(ValidationError, match=match):
        Model(stack, "Model", containers=[container, second], network_isolation=isolation)


def test_program_from_s3_without_isolation_is_granted_its_code(stack: cdk.Stack) -> None:
    _model(stack, environment={"SAGEMAKER_PROGRAM": "inference.py",
                               "SAGEMAKER_SUBMIT_DIRECTORY": "s3://code-bucket/src/sourcedir.tar.gz"},
           network_isolation=False)
    statements = next(iter(Template.from_stack(stack).find_resources("AWS::IAM::ManagedPolicy").values()))[
        "Properties"]["PolicyDocument"]["Statement"]
    assert {"Action": "s3:GetObject", "Effect": "Allow", "Resource": {"Fn::Join": ["", [
        "arn:", {"Ref": "AWS::Partition"}, ":s3:::code-bucket/src/sourcedir.tar.gz"]]}} in statements


def test_pipeline_example_ships_the_preprocessing_code(example_templates: dict[str, Any]) -> None:
    template = example_templates["CdkSagemakerRealtimePipeline"]
    (model,) = [r for r in template["Resources"].values() if r["Type"] == "AWS::SageMaker::Model"]
    first = model["Properties"]["Containers"][0]
    assert first["Environment"] == {"SAGEMAKER_PROGRAM": "preprocess.py",
                                    "SAGEMAKER_SUBMIT_DIRECTORY": "/opt/ml/model/code"}
    assert "ModelDataUrl" in first


def test_pipeline_asset_holds_the_committed_script() -> None:
    import io
    import tarfile
    from importlib import resources

    assets = resources.files("cdk_sagemaker.stacks") / "assets"
    with tarfile.open(fileobj=io.BytesIO((assets / "preprocess.tar.gz").read_bytes())) as tar:
        member = tar.extractfile("code/preprocess.py")
        assert member is not None
        assert member.read() == (assets / "preprocess" / "code" / "preprocess.py").read_bytes()


# -- 6. Model is a grantee -------------------------------------------------------------------------------------------
def test_documented_grant_styles_land_in_the_models_managed_policy(stack: cdk.Stack) -> None:
    model = _model(stack)
    bucket = s3.Bucket(stack, "Bucket")
    key = kms.Key(stack, "Key", enable_key_rotation=True)
    bucket.grant_read(model)
    key.grant_decrypt(model)
    sqs.Queue(stack, "Queue").grant_send_messages(model)
    iam.Grant.add_to_principal(grantee=model, actions=["sagemaker:DescribeModel"], resource_arns=["*"])
    t = Template.from_stack(stack)
    t.resource_count_is("AWS::IAM::Policy", 0)  # no inline policy (NIST/HIPAA IAMNoInlinePolicy)
    actions = str(next(iter(t.find_resources("AWS::IAM::ManagedPolicy").values())))
    for action in ("s3:GetObject*", "kms:Decrypt", "sqs:SendMessage", "sagemaker:DescribeModel"):
        assert action in actions


def test_grants_to_a_model_with_a_given_role_go_to_that_role(stack: cdk.Stack) -> None:
    role = iam.Role(stack, "Given", assumed_by=iam.ServicePrincipal("sagemaker.amazonaws.com"))
    model = _model(stack, role=role)
    s3.Bucket(stack, "Bucket").grant_read(model)
    Template.from_stack(stack).has_resource_properties("AWS::IAM::Policy", {
        "Roles": [{"Ref": stack.get_logical_id(role.node.default_child)}]})  # type: ignore[arg-type]


# -- 8. instance types with NVMe storage ---------------------------------------------------------------------------
def test_nvme_endpoint_has_no_key_and_passes_the_kms_rules(stack: cdk.Stack) -> None:
    from cdk_sagemaker.testing import assert_compliant

    RealtimeEndpoint(stack, "Endpoint", model=_model(stack), instance_type="ml.g5.xlarge")
    config = next(iter(Template.from_stack(stack).find_resources("AWS::SageMaker::EndpointConfig").values()))
    assert "KmsKeyId" not in config["Properties"]
    assert_compliant(stack)


def test_a_key_for_an_nvme_endpoint_is_rejected_not_dropped(stack: cdk.Stack) -> None:
    key = kms.Key(stack, "Key", enable_key_rotation=True)
    with pytest.raises(ValidationError, match=r"kms_key must not be given when a variant runs on an instance type "
                       r"with local NVMe storage \(ml.p4d.24xlarge\).*got 'TestStack/Key'"):
        RealtimeEndpoint(stack, "Endpoint", model=_model(stack), instance_type="ml.p4d.24xlarge", kms_key=key)


# -- 10. inference components carry the models' network settings to the endpoint config ----------------------------
def test_inference_component_endpoint_config_carries_isolation_and_vpc(stack: cdk.Stack) -> None:
    network = InferenceNetwork(stack, "Network")
    endpoint = RealtimeEndpoint(stack, "Endpoint", variants=[
        ProductionVariant.for_inference_components(instance_type="ml.g5.2xlarge")])
    a = _model(stack, "A", network=network)
    b = _model(stack, "B", network=network)
    endpoint.add_inference_component("A", model=a, memory_mb=1024)
    endpoint.add_inference_component("B", model=b, memory_mb=1024)
    assert a.security_group is not None and b.security_group is not None
    Template.from_stack(stack).has_resource_properties("AWS::SageMaker::EndpointConfig", {
        "EnableNetworkIsolation": True,
        "VpcConfig": {"SecurityGroupIds": [
            {"Fn::GetAtt": [stack.get_logical_id(a.security_group.node.default_child), "GroupId"]},
            {"Fn::GetAtt": [stack.get_logical_id(b.security_group.node.default_child), "GroupId"]}],
            "Subnets": Match.any_value()},
    })


def test_inference_components_with_conflicting_isolation_are_rejected(stack: cdk.Stack) -> None:
    endpoint = RealtimeEndpoint(stack, "Endpoint", variants=[
        ProductionVariant.for_inference_components(instance_type="ml.g5.2xlarge")])
    endpoint.add_inference_component("A", model=_model(stack, "A"), memory_mb=1024)
    with pytest.raises(ValidationError, match=r"Endpoint/B: model.network_isolation must match the other inference "
                       r"components of the endpoint .*TestStack/A has True\), got False"):
        endpoint.add_inference_component("B", model=_model(stack, "B", network_isolation=False), memory_mb=1024)


# -- 12. accelerator images and model downloads under isolation -----------------------------------------------------
def test_gpu_image_on_a_cpu_instance_is_rejected(stack: cdk.Stack) -> None:
    model = _model(stack, image=ContainerImage.from_prebuilt("huggingface-llm", "3.3"),
                   environment={"HF_MODEL_ID": "/opt/ml/model"})
    with pytest.raises(ValidationError, match=r"variant 'AllTraffic' instance_type must have an NVIDIA GPU "
                       r"\(ml.g5, ml.g6, ml.p4d, \.\.\.\) for TestStack/Model containers\[0\], which is prebuilt "
                       r"huggingface-llm 3.3, built for GPU, got 'ml.m5.xlarge'"):
        RealtimeEndpoint(stack, "Endpoint", model=model, instance_type="ml.m5.xlarge")


@pytest.mark.parametrize(("framework", "version", "processor"), [
    ("djl-lmi", "0.31.0", None), ("vllm", "0.30", None), ("pytorch", "2.1", "gpu"), ("huggingface-tei", "1.8", None)])
def test_accelerator_only_images_are_rejected_on_cpu_and_serverless(stack: cdk.Stack, framework: str, version: str,
                                                                    processor: str | None) -> None:
    image = ContainerImage.from_prebuilt(framework, version, processor=processor)
    with pytest.raises(ValidationError, match=r"instance_type must have an NVIDIA GPU"):
        AsyncEndpoint(stack, "Async", model=_model(stack, "A", image=image), instance_type="ml.c5.xlarge")
    with pytest.raises(ValidationError, match=r"model must not run a GPU image on a serverless endpoint"):
        ServerlessEndpoint(stack, "Sls", model=_model(stack, "B", image=image, network_isolation=False))


def test_gpu_image_on_a_gpu_instance_is_accepted(stack: cdk.Stack) -> None:
    model = _model(stack, image=ContainerImage.from_prebuilt("huggingface-llm", "3.3"))
    RealtimeEndpoint(stack, "Endpoint", model=model, instance_type="ml.g5.2xlarge")


@pytest.mark.parametrize(("variable", "value"), [
    ("HF_MODEL_ID", "meta-llama/Llama-3.1-8B"), ("OPTION_MODEL_ID", "s3://weights/llama/"),
    ("SM_VLLM_MODEL", "Qwen/Qwen2.5-7B"), ("SM_SGLANG_MODEL_PATH", "Qwen/Qwen2.5-7B"), ("MODEL_ID", "BAAI/bge")])
def test_model_downloads_at_start_are_rejected_under_isolation(stack: cdk.Stack, variable: str, value: str) -> None:
    with pytest.raises(ValidationError, match=rf"environment\['{variable}'\] names a model that the container .* "
                       rf"downloads when it starts, which network isolation blocks.*got '{value}'"):
        _model(stack, environment={variable: value})


def test_local_model_paths_are_fine_under_isolation(stack: cdk.Stack) -> None:
    _model(stack, environment={"OPTION_MODEL_ID": "/opt/ml/model", "HF_MODEL_ID": "/opt/ml/model"})


# -- 12. a number where a Duration belongs ---------------------------------------------------------------------------
def test_int_timeouts_of_variants_and_components_are_validation_errors(stack: cdk.Stack) -> None:
    with pytest.raises(ValidationError, match=r"variants\[0\].container_startup_health_check_timeout must be an "
                       r"aws_cdk.Duration \(e.g. Duration.seconds\(600\) or Duration.minutes\(...\)\), got 600"):
        RealtimeEndpoint(stack, "Endpoint", variants=[ProductionVariant(
            model=_model(stack), container_startup_health_check_timeout=600)])  # type: ignore[arg-type]
    endpoint = RealtimeEndpoint(stack, "Ic", variants=[
        ProductionVariant.for_inference_components(instance_type="ml.g5.2xlarge")])
    with pytest.raises(ValidationError, match=r"Ic/C: model_data_download_timeout must be an aws_cdk.Duration"):
        endpoint.add_inference_component("C", model=_model(stack, "C"), memory_mb=1024,
                                         model_data_download_timeout=900)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"TestStack/Ic: period must be an aws_cdk.Duration.*got 60"):
        endpoint.variants[0].metric_invocations(period=60)


# -- 4 (class): a custom name on a resource that every change replaces -----------------------------------------------
def test_a_fixed_model_name_warns_that_updates_will_fail(stack: cdk.Stack) -> None:
    from aws_cdk.assertions import Annotations as AssertAnnotations

    _model(stack, model_name="churn-model")
    AssertAnnotations.from_stack(stack).has_warning(
        "/TestStack/Model", Match.string_like_regexp(r"model_name='churn-model' fixes the model's name: every change "
                                                     r"to this model .* replaces it"))


def test_a_generated_model_name_does_not_warn(stack: cdk.Stack) -> None:
    from aws_cdk.assertions import Annotations as AssertAnnotations

    _model(stack)
    assert AssertAnnotations.from_stack(stack).find_warning("*", Match.any_value()) == []


def test_gpu_image_on_a_cpu_transform_instance_is_rejected(stack: cdk.Stack) -> None:
    from cdk_sagemaker import BatchTransform

    model = _model(stack, image=ContainerImage.from_prebuilt("pytorch", "2.1", processor="gpu"))
    with pytest.raises(ValidationError, match=r"Nightly: instance_type must have an NVIDIA GPU .* for "
                       r"TestStack/Model containers\[0\], which is prebuilt pytorch 2.1, processor='gpu', built for "
                       r"GPU, got 'ml.m5.xlarge'"):
        BatchTransform(stack, "Nightly", model=model, instance_type="ml.m5.xlarge",
                       input_s3_uri="s3://my-bucket/in/", output_s3_uri="s3://my-bucket/out/")
    BatchTransform(stack, "OnGpu", model=model, instance_type="ml.g4dn.xlarge",
                   input_s3_uri="s3://my-bucket/in/", output_s3_uri="s3://my-bucket/out/")


# -- instance families: multi-model hosting ------------------------------------------------------------------------
def _multi_model(stack: cdk.Stack, image: ContainerImage) -> Model:
    return Model(stack, "Mme", containers=[ContainerDefinition(
        image=image, model_data=ModelData.from_s3_uri("s3://my-bucket/models/"), multi_model=True)])


def test_multi_model_on_gpu_needs_triton(stack: cdk.Stack) -> None:
    with pytest.raises(ValidationError, match=r"instance_type must be a CPU instance type for a multi-model "
                       r"container that is not NVIDIA Triton .*got 'ml.g5.xlarge'"):
        RealtimeEndpoint(stack, "Endpoint", model=_multi_model(stack, ContainerImage.from_uri(IMAGE)),
                         instance_type="ml.g5.xlarge")


def test_multi_model_on_neuron_is_rejected_and_triton_on_gpu_is_accepted(stack: cdk.Stack) -> None:
    with pytest.raises(ValidationError, match=r"must be a CPU or GPU instance type for a multi-model "
                       r"container .*this one has neuron\), got 'ml.inf2.xlarge'"):
        RealtimeEndpoint(stack, "Endpoint", model=_multi_model(stack, ContainerImage.from_uri(IMAGE)),
                         instance_type="ml.inf2.xlarge")
    triton = Model(stack, "Triton", containers=[ContainerDefinition(
        image=ContainerImage.from_prebuilt("sagemaker-tritonserver", "24.03", processor="gpu"),
        model_data=ModelData.from_s3_uri("s3://my-bucket/models/"), multi_model=True)])
    RealtimeEndpoint(stack, "Gpu", model=triton, instance_type="ml.g5.xlarge")


def test_all_problems_of_a_given_vpc_come_in_one_error(stack: cdk.Stack) -> None:
    from aws_cdk import aws_kms as kms_

    key = kms_.Key(stack, "FlowKey", enable_key_rotation=True)
    with pytest.raises(ValidationError) as err:
        InferenceNetwork(stack, "Network", vpc=_imported(stack), flow_log_key=key)
    assert [p.split(" ", 1)[0] for p in err.value.problems] == ["flow_log_key", "vpc"]


def test_an_unknown_endpoint_service_is_a_validation_error(stack: cdk.Stack) -> None:
    network = InferenceNetwork(stack, "Network")
    with pytest.raises(ValidationError, match=r"Network: name must be an endpoint service this network knows "
                       r"\(sagemaker.api, .*\), got 'sqs'"):
        network.add_interface_endpoint("sqs")


def test_variant_and_deployment_problems_come_in_one_error(stack: cdk.Stack) -> None:
    from cdk_sagemaker import DeploymentStrategy

    with pytest.raises(ValidationError) as err:
        RealtimeEndpoint(stack, "Endpoint", model=_model(stack), instance_type="ml.m5.huge", instance_count=2,
                         deployment=DeploymentStrategy.canary(percent=90))
    assert [p.param for p in err.value.details] == ["instance_type", "percent"], err.value.problems
