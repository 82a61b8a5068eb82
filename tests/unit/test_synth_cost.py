"""What keeps synth cheap stays correct: Python-side answers equal aws-cdk-lib's, batched grants all land, and a
stack of our constructs over CloudFormation's 500-resource limit is refused at synth with aws-cdk-lib's message."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk import Aws, Token
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Match, Template
from constructs import Construct

from cdk_sagemaker.constructs import _jsii
from cdk_sagemaker.constructs.autoscaling import AutoScaling
from cdk_sagemaker.constructs.images import ContainerImage
from cdk_sagemaker.constructs.model import Model, ModelData
from cdk_sagemaker.constructs.realtime import RealtimeEndpoint

IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-model:1"
DATA = "s3://my-bucket/models/model.tar.gz"


# Explicit ids: token strings are numbered per process, and pytest-xdist needs the same ids in every worker.
@pytest.mark.parametrize("value", [
    "plain", "", "s3://bucket/key", "Token[ but no closing", "${Token[ unfinished",
    Aws.REGION, f"arn:{Aws.PARTITION}:s3:::b/k", Token.as_string(Token.as_number(Aws.ACCOUNT_ID)),
    Token.as_list(Aws.REGION)[0], 12, Token.as_number(Aws.ACCOUNT_ID), None,
], ids=["plain", "empty", "s3-uri", "marker-only", "unfinished", "region-token", "arn-with-token",
        "stringified-number-token", "list-token-element", "number", "number-token", "none"])
def test_is_unresolved_agrees_with_aws_cdk_lib(value: object) -> None:
    assert _jsii.is_unresolved(value) == Token.is_unresolved(value)


def test_cached_answers_equal_the_round_trip_ones(stack: cdk.Stack) -> None:
    model = Model(stack, "Model", image=ContainerImage.from_uri(IMAGE))
    assert _jsii.node_path(model) == model.node.path == "TestStack/Model"
    assert (_jsii.partition(), _jsii.region(), _jsii.account_id()) == (Aws.PARTITION, Aws.REGION, Aws.ACCOUNT_ID)


def test_batched_grants_all_land_in_the_managed_policy(stack: cdk.Stack) -> None:
    model = Model(stack, "Model", image=ContainerImage.from_uri(IMAGE), model_data=ModelData.from_s3_uri(DATA))
    model.add_to_role_policy(iam.PolicyStatement(actions=["s3:ListBucket"], resources=["arn:aws:s3:::late"]))
    statements = Template.from_stack(stack).find_resources("AWS::IAM::ManagedPolicy")
    [policy] = statements.values()
    actions = [s["Action"] for s in policy["Properties"]["PolicyDocument"]["Statement"]]
    assert actions == [
        ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
        "cloudwatch:PutMetricData",
        ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
        "ecr:GetAuthorizationToken",
        "s3:GetObject",
        "s3:ListBucket",
    ]


def test_batched_grants_land_in_a_given_role(stack: cdk.Stack) -> None:
    role = iam.Role(stack, "Given", assumed_by=iam.ServicePrincipal("sagemaker.amazonaws.com"))
    Model(stack, "Model", image=ContainerImage.from_uri(IMAGE), model_data=ModelData.from_s3_uri(DATA), role=role)
    t = Template.from_stack(stack)
    t.resource_count_is("AWS::IAM::ManagedPolicy", 0)
    t.has_resource_properties("AWS::IAM::Policy", {
        "Roles": [{"Ref": stack.get_logical_id(role.node.default_child)}],
        "PolicyDocument": {"Statement": Match.array_with([
            Match.object_like({"Action": "ecr:GetAuthorizationToken"}),
            Match.object_like({"Action": "s3:GetObject"}),
        ])},
    })


def test_stack_over_500_resources_is_refused_at_synth(stack: cdk.Stack) -> None:
    # aws-cdk-lib 2.275 checks CloudFormation's 500-resources-per-stack quota in Stack synthesis
    # (context @aws-cdk/core:stackResourceLimit, default 500). One autoscaled endpoint is 8 resources: 63 -> 504.
    image, data = ContainerImage.from_uri(IMAGE), ModelData.from_s3_uri(DATA)
    for i in range(63):
        model = Model(stack, f"Model{i}", image=image, model_data=data)
        RealtimeEndpoint(stack, f"Endpoint{i}", model=model,
                         auto_scaling=AutoScaling(max_capacity=2, invocations_per_instance=100))
    app = stack.node.root
    assert isinstance(app, cdk.App)
    with pytest.raises(RuntimeError, match=r"Number of resources in stack 'TestStack': 504 is greater than allowed "
                                           r"maximum of 500: .*AWS::SageMaker::Endpoint \(63\)"):
        app.synth()


@pytest.mark.parametrize("ids", [("Model",), ("Team", "Model"), ("a/b", "Model"), ("Team", "x/y/z")])
def test_recorded_paths_equal_node_path(ids: tuple[str, ...]) -> None:
    """remember_path answers what construct.node.path would (nested scopes; '/' in an id becomes '--')."""
    stack = cdk.Stack(cdk.App(), "S")
    scope: Construct = stack
    for id in ids[:-1]:
        scope = Construct(scope, id)
    model = Model(scope, ids[-1], image=ContainerImage.from_uri("123456789012.dkr.ecr.us-east-1.amazonaws.com/m:1"))
    assert _jsii.node_path(model) == model.node.path
    endpoint = RealtimeEndpoint(scope, f"{ids[-1]}Endpoint", model=model)
    assert _jsii.node_path(endpoint) == endpoint.node.path


def _model_in(scope: Construct, id: str = "Model") -> Model:
    return Model(scope, id, image=ContainerImage.from_uri(IMAGE), model_data=ModelData.from_s3_uri(DATA))


def test_recorded_stacks_equal_stack_of() -> None:
    """remember_path/inherit_stack answer what Stack.of would: under a stack, a nested stack, a plain construct of
    the user's (asked, then kept) and our own nested constructs (the model's policy)."""
    app = cdk.App()
    parent = cdk.Stack(app, "Parent")
    nested = cdk.NestedStack(parent, "Nested")
    team = Construct(parent, "Team")
    for scope in (parent, nested, team):
        model = _model_in(scope)
        assert _jsii.stack_of(model) is not None
        assert _jsii.stack_of(model).node.path == cdk.Stack.of(model).node.path
        policy = model.node.find_child("Policy")
        assert _jsii.stack_of(policy).node.path == cdk.Stack.of(policy).node.path
    assert _jsii.stack_of(_model_in(nested, "Other")).node.path == "Parent/Nested"


def test_shared_service_principal_renders_each_roles_trust_policy() -> None:
    """One ServicePrincipal object for every role renders, in stacks of other partitions, what a fresh one does."""
    for name, region in (("Commercial", "us-east-1"), ("China", "cn-north-1"), ("Gov", "us-gov-west-1")):
        stack = cdk.Stack(cdk.App(), name, env=cdk.Environment(account="123456789012", region=region))
        _model_in(stack)
        fresh = iam.Role(stack, "Fresh", assumed_by=iam.ServicePrincipal("sagemaker.amazonaws.com"))
        template = Template.from_stack(stack).to_json()["Resources"]
        ours = next(v for k, v in template.items() if k.startswith("ModelRole"))
        theirs = template[stack.get_logical_id(fresh.node.default_child)]  # type: ignore[arg-type]
        assert ours["Properties"]["AssumeRolePolicyDocument"] == theirs["Properties"]["AssumeRolePolicyDocument"]
    assert _jsii.service_principal("sagemaker.amazonaws.com") is _jsii.service_principal("sagemaker.amazonaws.com")


def test_scaling_resource_id_renders_as_fn_join(stack: cdk.Stack) -> None:
    endpoint = RealtimeEndpoint(stack, "Endpoint", model=_model_in(stack), instance_type="ml.m5.large",
                                auto_scaling=AutoScaling(min_capacity=1, max_capacity=2, max_rps_per_instance=10))
    name = endpoint.endpoint_name
    expected = stack.resolve(cdk.Fn.join("", ["endpoint/", name, "/variant/", "AllTraffic"]))
    target = Template.from_stack(stack).find_resources("AWS::ApplicationAutoScaling::ScalableTarget")
    (props,) = [r["Properties"] for r in target.values()]
    assert props["ResourceId"] == expected


def test_every_endpoint_service_name_is_an_aws_cdk_lib_service() -> None:
    """The interface-endpoint services are kept by name (resolved when an endpoint is made, not at import)."""
    from aws_cdk import aws_ec2 as ec2

    from cdk_sagemaker.constructs.network import _SERVICES

    for name, spec in _SERVICES.items():
        service = getattr(ec2.InterfaceVpcEndpointAwsService, spec.service)
        assert isinstance(service, ec2.InterfaceVpcEndpointAwsService), name
