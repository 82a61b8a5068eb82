"""Private networking for SageMaker models: a VPC without an internet path, the VPC endpoints hosting and jobs need,
flow logs, and security groups that open exactly what a model uses."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from aws_cdk import (
    Annotations,
    Aws,
    CfnResource,
    CustomResource,
    CustomResourceProvider,
    CustomResourceProviderRuntime,
    Fn,
    Names,
    RemovalPolicy,
    Stack,
)
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from constructs import Construct

from cdk_sagemaker.constructs._jsii import is_unresolved, node_path, remember_path
from cdk_sagemaker.constructs._keys import rotation_problem, service_key
from cdk_sagemaker.constructs._optional import configured
from cdk_sagemaker.errors import Problem, Problems, ValidationError

__all__ = ["EndpointService", "InferenceNetwork", "admit_artifacts"]

#: Interface endpoints by the short name this construct uses. Every one of these services supports VPC endpoint
#: policies ("AWS services that integrate with AWS PrivateLink", PrivateLink guide, column "Supports endpoint policy").
EndpointService = Literal["sagemaker.api", "sagemaker.runtime", "ecr.api", "ecr.dkr", "logs", "monitoring", "sts",
                          "kms", "sns", "states", "lambda", "secretsmanager"]


@dataclass(frozen=True, slots=True)
class _Service:
    #: The ``ec2.InterfaceVpcEndpointAwsService`` attribute, looked up when an endpoint is made: reading those
    #: constants at import made Node load aws-cdk-lib's EC2 module (~40 ms) in every app, with a network or not.
    service: str
    #: Actions the endpoint policy lets principals of this account call through the endpoint.
    actions: tuple[str, ...]
    #: Resource ARN patterns (``{p}``/``{r}``/``{a}`` become partition, region, account); ``*`` when the actions
    #: have no resource-level permissions or must reach resources of other accounts (AWS-owned image registries).
    resources: tuple[str, ...] = ("*",)


_SERVICES: dict[str, _Service] = {
    "sagemaker.api": _Service("SAGEMAKER_API", ("sagemaker:*",)),
    "sagemaker.runtime": _Service("SAGEMAKER_RUNTIME",
                                  ("sagemaker:InvokeEndpoint", "sagemaker:InvokeEndpointAsync",
                                   "sagemaker:InvokeEndpointWithResponseStream"),
                                  ("arn:{p}:sagemaker:{r}:{a}:endpoint/*",)),
    # Pull only (no push from the private subnets). Prebuilt images live in AWS-owned accounts: any repository.
    "ecr.api": _Service("ECR",
                        ("ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetAuthorizationToken",
                         "ecr:GetDownloadUrlForLayer")),
    "ecr.dkr": _Service("ECR_DOCKER",
                        ("ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetAuthorizationToken",
                         "ecr:GetDownloadUrlForLayer")),
    "logs": _Service("CLOUDWATCH_LOGS",
                     ("logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"),
                     ("arn:{p}:logs:{r}:{a}:log-group:*",)),
    "monitoring": _Service("CLOUDWATCH_MONITORING", ("cloudwatch:PutMetricData",)),
    "sts": _Service("STS",
                    ("sts:AssumeRole", "sts:GetCallerIdentity", "sts:TagSession")),
    "kms": _Service("KMS",
                    ("kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"),
                    ("arn:{p}:kms:{r}:{a}:key/*",)),
    "sns": _Service("SNS", ("sns:Publish",), ("arn:{p}:sns:{r}:{a}:*",)),
    "states": _Service("STEP_FUNCTIONS",
                       ("states:DescribeExecution", "states:SendTaskFailure", "states:SendTaskHeartbeat",
                        "states:SendTaskSuccess", "states:StartExecution"),
                       ("arn:{p}:states:{r}:{a}:*",)),
    # A private registry's credentials provider (RepositoryAuthConfig), invoked for image pulls from the VPC.
    "lambda": _Service("LAMBDA_", ("lambda:InvokeFunction",),
                       ("arn:{p}:lambda:{r}:{a}:function:*",)),
    # What a registry credentials provider in the VPC reads (RegistryCredentialsProvider).
    "secretsmanager": _Service("SECRETS_MANAGER", ("secretsmanager:GetSecretValue",),
                               ("arn:{p}:secretsmanager:{r}:{a}:secret:*",)),
}

#: What every SageMaker model, endpoint and job in the network needs.
HOSTING_SERVICES: tuple[str, ...] = ("sagemaker.api", "sagemaker.runtime", "ecr.api", "ecr.dkr", "logs",
                                     "monitoring", "sts", "kms")
#: Added by :meth:`InferenceNetwork.add_async_endpoints` (success/error notifications).
ASYNC_SERVICES: tuple[str, ...] = ("sns",)
#: Added by :meth:`InferenceNetwork.add_batch_endpoints` (the state machine that runs transform jobs).
BATCH_SERVICES: tuple[str, ...] = ("states",)

#: Added by :meth:`InferenceNetwork.add_registry_endpoints` (a private registry's credentials provider).
REGISTRY_SERVICES: tuple[str, ...] = ("lambda",)

#: S3 actions the gateway endpoint allows on the account's own buckets.
_S3_ACTIONS = ("s3:AbortMultipartUpload", "s3:GetBucketLocation", "s3:GetObject", "s3:ListBucket",
               "s3:ListMultipartUploadParts", "s3:PutObject")

#: The bucket ECR serves image layers from; image pulls through a gateway endpoint must be allowed to read it
#: (ECR user guide, "Amazon ECR interface VPC endpoints (AWS PrivateLink)", section on the S3 gateway endpoint).
ECR_LAYER_BUCKET = "prod-{region}-starport-layer-bucket"

#: The custom resource type that answers the id of the region's S3 prefix list (handler: handlers/s3-prefix-list).
S3_PREFIX_LIST_TYPE = "Custom::S3PrefixList"
_HANDLERS = Path(__file__).resolve().parent / "handlers"

# SageMaker hosting places instances across the model's subnets and needs subnets in at least two Availability
# Zones, "even if you have only one hosting instance" (SageMaker developer guide, "Give SageMaker AI Hosted
# Endpoints Access to Resources in Your Amazon VPC").
MIN_AZS = 2


class InferenceNetwork(Construct):
    """Private subnets for SageMaker models, reachable only through VPC endpoints.

    Without ``vpc``, creates one: private isolated subnets in ``max_azs`` Availability Zones, no NAT gateway, no
    internet gateway, the default security group closed, and flow logs (all traffic) to a log group encrypted with a
    new KMS key (rotation on) and kept for ``flow_log_retention``. With ``vpc`` (and ``subnets``), uses that VPC:
    public subnets are rejected, subnets with a route to the internet (``PRIVATE_WITH_EGRESS``) draw a warning, and
    flow logs are left to whoever owns the VPC.

    Adds interface endpoints for ``sagemaker.api``, ``sagemaker.runtime`` (private DNS), ``ecr.api``, ``ecr.dkr``,
    CloudWatch ``logs`` and ``monitoring``, ``sts`` and ``kms``, and an S3 gateway endpoint. Each interface endpoint
    has its own security group whose only inbound rule is HTTPS from the security group of each model in the network,
    and an endpoint policy that lets only principals of this account call the actions models and jobs use. The S3
    endpoint allows the account's own buckets and the ECR layer bucket of the region.

    ``add_async_endpoints()`` (SNS) and ``add_batch_endpoints()`` (Step Functions) add what those patterns need;
    ``allow_invoke_from(peer)`` lets a client in the VPC reach the ``sagemaker.runtime`` endpoint.

    Default: a new VPC over ``10.0.0.0/16`` in two AZs, flow logs kept one year, every endpoint created
    (``endpoints=False`` when the VPC already has them, e.g. a shared-services VPC).

    Attributes: ``vpc``, ``subnet_selection``, ``subnet_ids``, ``availability_zones``, ``interface_endpoints``
    (by short name); ``s3_endpoint`` (unless ``endpoints=False``); ``flow_log``, ``flow_log_group``,
    ``flow_log_key`` (for a created VPC). Reading one that was not created raises
    :class:`~cdk_sagemaker.errors.NotConfiguredError` (an ``AttributeError``).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        vpc: ec2.IVpc | None = None,
        subnets: ec2.SubnetSelection | None = None,
        max_azs: int = 2,
        cidr: str = "10.0.0.0/16",
        endpoints: bool = True,
        flow_log_retention: logs.RetentionDays = logs.RetentionDays.ONE_YEAR,
        flow_log_key: kms.IKey | None = None,
    ) -> None:
        super().__init__(scope, id)
        remember_path(self, scope, id)
        problems = Problems(node_path(self))
        problems.extend(_props_problems(vpc=vpc, subnets=subnets, max_azs=max_azs, cidr=cidr,
                                        flow_log_key=flow_log_key, endpoints=endpoints))
        given: ec2.SelectedSubnets | None = None
        if vpc is not None:
            if subnets is not None and subnets.subnet_type == ec2.SubnetType.PUBLIC:
                problems.add("subnets", "must select private subnets (SubnetType.PRIVATE_ISOLATED, or "
                             "PRIVATE_WITH_EGRESS through a NAT you control); public subnets route to the internet",
                             "SubnetType.PUBLIC")
            else:
                given = _select(vpc, subnets or ec2.SubnetSelection())
                problems.extend(_given_subnet_problems(vpc, given))
                if endpoints:
                    problems.extend(_route_table_problems(given))
        problems.raise_if_any()
        self._peers: list[ec2.IConnectable] = []
        self._endpoints_enabled = endpoints
        self.interface_endpoints: dict[str, ec2.InterfaceVpcEndpoint] = {}
        self._s3_endpoint: ec2.GatewayVpcEndpoint | None = None
        self._s3_reads = 0
        self._flow_log: ec2.CfnFlowLog | None = None
        self._flow_log_group: logs.LogGroup | None = None
        self._flow_log_key: kms.IKey | None = None
        self._s3_prefix_list: CustomResource | None = None
        #: Parent of every VPC endpoint and endpoint security group: depend on it to run after the endpoints exist.
        self.endpoint_group = Construct(self, "Endpoints")
        if vpc is None:
            self.vpc: ec2.IVpc = self._create_vpc(max_azs=max_azs, cidr=cidr)
            self.subnet_selection = ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)
            self._create_flow_logs(retention=flow_log_retention, key=flow_log_key)
        else:
            self.vpc = vpc
            self.subnet_selection = subnets or ec2.SubnetSelection()
        selected = given if given is not None else _select(self.vpc, self.subnet_selection)
        if given is not None:
            self._warn_about_subnets(given)
        self.subnet_ids: list[str] = list(selected.subnet_ids)
        self.availability_zones: list[str] = list(dict.fromkeys(selected.availability_zones))
        if endpoints:
            self._create_s3_endpoint()
            for name in HOSTING_SERVICES:
                self.add_interface_endpoint(name)

    # -- validation ---------------------------------------------------------------------------------------------
    def _warn_about_subnets(self, selected: ec2.SelectedSubnets) -> None:
        """Warnings (not errors) about a given VPC's subnets: a route to a NAT, or a single Availability Zone."""
        egress = {s.subnet_id for s in self.vpc.private_subnets}
        if any(s.subnet_id in egress for s in selected.subnets):
            Annotations.of(self).add_warning_v2(
                "cdk-sagemaker:network:egress",
                "subnets route to the internet through a NAT (PRIVATE_WITH_EGRESS): models with network isolation "
                "off can reach the internet. Prefer SubnetType.PRIVATE_ISOLATED; acknowledge this warning if egress "
                "goes through an inspected NAT you control.")
        if len(dict.fromkeys(selected.availability_zones)) < MIN_AZS:
            Annotations.of(self).add_warning_v2(
                "cdk-sagemaker:network:single-az",
                f"subnets span {len(dict.fromkeys(selected.availability_zones))} Availability Zone(s); SageMaker "
                f"hosting needs subnets in at least {MIN_AZS}. Endpoints with two or more instances on this network "
                "are rejected.")

    # -- building (override one part in a subclass) --------------------------------------------------------------
    def _create_vpc(self, *, max_azs: int, cidr: str) -> ec2.Vpc:
        """Private isolated subnets only (so no internet gateway and no NAT), default security group closed."""
        vpc = ec2.Vpc(
            self, "Vpc",
            ip_addresses=ec2.IpAddresses.cidr(cidr),
            max_azs=max_azs,
            nat_gateways=0,
            subnet_configuration=[ec2.SubnetConfiguration(name="Isolated", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED,
                                                          cidr_mask=24)],
            restrict_default_security_group=True,
            enable_dns_hostnames=True,  # interface endpoints with private DNS need both DNS attributes
            enable_dns_support=True,
        )
        _drop_redundant_depends_on(Stack.of(vpc), "Custom::VpcRestrictDefaultSGCustomResourceProvider")
        return vpc

    _NO_FLOW_LOGS = ("flow logs are created only for the VPC this construct creates; the given vpc keeps its own "
                     "(omit vpc=... to get them)")

    @property
    def s3_endpoint(self) -> ec2.GatewayVpcEndpoint:
        """The S3 gateway endpoint (created unless ``endpoints=False``)."""
        return configured(self._s3_endpoint, self, "s3_endpoint",
                          "endpoints=False: the VPC's own S3 endpoint is used (pass endpoints=True to create one)")

    @property
    def flow_log(self) -> ec2.CfnFlowLog:
        """The VPC's flow log (only for the VPC this construct creates)."""
        return configured(self._flow_log, self, "flow_log", self._NO_FLOW_LOGS)

    @property
    def flow_log_group(self) -> logs.LogGroup:
        """The KMS-encrypted, retained log group of the flow log (only for the VPC this construct creates)."""
        return configured(self._flow_log_group, self, "flow_log_group", self._NO_FLOW_LOGS)

    @property
    def flow_log_key(self) -> kms.IKey:
        """The flow log group's key, given or created (only for the VPC this construct creates)."""
        return configured(self._flow_log_key, self, "flow_log_key", self._NO_FLOW_LOGS)

    def _create_flow_logs(self, *, retention: logs.RetentionDays, key: kms.IKey | None) -> None:
        """All traffic of the VPC to a KMS-encrypted, retained log group (see :func:`_flow_logs`)."""
        self._flow_log_key, self._flow_log_group, self._flow_log = _flow_logs(self, self.vpc, retention, key)

    def _create_s3_endpoint(self) -> None:
        """Gateway endpoint to S3 limited to this account's buckets and the region's ECR layer bucket."""
        endpoint = ec2.GatewayVpcEndpoint(self.endpoint_group, "S3", vpc=self.vpc,
                                          service=ec2.GatewayVpcEndpointAwsService.S3,
                                          subnets=[self.subnet_selection])
        endpoint.add_to_policy(iam.PolicyStatement(
            sid="AccountBuckets", principals=[iam.AnyPrincipal()], actions=list(_S3_ACTIONS), resources=["*"],
            conditions={"StringEquals": {"aws:ResourceAccount": Aws.ACCOUNT_ID}}))
        endpoint.add_to_policy(iam.PolicyStatement(
            sid="EcrImageLayers", principals=[iam.AnyPrincipal()], actions=["s3:GetObject"],
            resources=[f"arn:{Aws.PARTITION}:s3:::{ECR_LAYER_BUCKET.format(region=Aws.REGION)}/*"]))
        self._s3_endpoint = endpoint

    def add_interface_endpoint(self, name: EndpointService | str) -> ec2.InterfaceVpcEndpoint:
        """The interface endpoint for ``name`` (one of :data:`EndpointService`), created on first use with private
        DNS, its own security group (HTTPS from each model's security group only) and an endpoint policy."""
        existing = self.interface_endpoints.get(name)
        if existing is not None:
            return existing
        if name not in _SERVICES:
            raise ValidationError(node_path(self), [Problem.of("name", f"must be an endpoint service this network "
                                                               f"knows ({', '.join(_SERVICES)})", name)])
        spec = _SERVICES[name]
        cid = "".join(part.capitalize() for part in name.split("."))
        sg = ec2.SecurityGroup(self.endpoint_group, f"{cid}SecurityGroup", vpc=self.vpc, allow_all_outbound=False,
                               description=f"VPC endpoint {name} of {node_path(self)}: HTTPS from models only")
        service: ec2.InterfaceVpcEndpointAwsService = getattr(ec2.InterfaceVpcEndpointAwsService, spec.service)
        endpoint = ec2.InterfaceVpcEndpoint(
            self.endpoint_group, cid, vpc=self.vpc, service=service, subnets=self._one_per_az(),
            private_dns_enabled=True, open=False, security_groups=[sg])
        resources = [r.format(p=Aws.PARTITION, r=Aws.REGION, a=Aws.ACCOUNT_ID) for r in spec.resources]
        endpoint.add_to_policy(iam.PolicyStatement(
            sid="AccountPrincipals", principals=[iam.AnyPrincipal()], actions=list(spec.actions),
            resources=resources, conditions={"StringEquals": {"aws:PrincipalAccount": Aws.ACCOUNT_ID}}))
        self.interface_endpoints[name] = endpoint
        for peer in self._peers:
            self._allow_https(endpoint, peer)
        return endpoint

    @staticmethod
    def _allow_https(endpoint: ec2.InterfaceVpcEndpoint, peer: ec2.IConnectable) -> None:
        """Ingress on the endpoint's security group from each of the peer's security groups, on 443 only. The
        peer's own egress is the peer's (a model allows HTTPS to the VPC's address range)."""
        for source in peer.connections.security_groups:
            for target in endpoint.connections.security_groups:
                target.add_ingress_rule(source, ec2.Port.tcp(443), f"HTTPS from {peer_description(peer)}")

    def _one_per_az(self) -> ec2.SubnetSelection:
        sel = self.subnet_selection
        return ec2.SubnetSelection(subnet_type=sel.subnet_type, subnet_group_name=sel.subnet_group_name,
                                   subnets=sel.subnets, availability_zones=sel.availability_zones,
                                   subnet_filters=sel.subnet_filters, one_per_az=True)

    # -- public API ----------------------------------------------------------------------------------------------
    def add_async_endpoints(self) -> None:
        """Endpoints asynchronous inference needs in addition to hosting: SNS (success and error notifications)."""
        if self._endpoints_enabled:
            for name in ASYNC_SERVICES:
                self.add_interface_endpoint(name)

    def add_batch_endpoints(self) -> None:
        """Endpoints batch transform needs in addition to hosting: Step Functions (the job's state machine)."""
        if self._endpoints_enabled:
            for name in BATCH_SERVICES:
                self.add_interface_endpoint(name)

    def add_registry_endpoints(self) -> None:
        """Endpoints a model needs to pull from a private Docker registry that requires authentication: Lambda
        (SageMaker calls the registry's credentials provider from the VPC; "create an interface VPC endpoint so that
        your VPC can communicate with your Lambda function without sending traffic over the internet", developer
        guide, "Use a Docker registry that requires authentication")."""
        if self._endpoints_enabled:
            for name in REGISTRY_SERVICES:
                self.add_interface_endpoint(name)

    def allow_s3_read(self, object_arns: Sequence[str]) -> None:
        """Let this account's principals ``s3:GetObject`` exactly ``object_arns`` through the S3 gateway endpoint,
        also in another account's bucket (the endpoint's policy admits only this account's buckets otherwise). A
        model in the VPC downloads its artifacts through its network interfaces, so through this endpoint: a model
        package of a central registry keeps its artifacts in the registry account's bucket. No-op without the
        endpoint (``endpoints=False``)."""
        if self._s3_endpoint is None or not object_arns:
            return
        self._s3_reads += 1
        self._s3_endpoint.add_to_policy(iam.PolicyStatement(
            sid=f"ModelArtifacts{self._s3_reads}", principals=[iam.AnyPrincipal()], actions=["s3:GetObject"],
            resources=list(object_arns), conditions={"StringEquals": {"aws:PrincipalAccount": Aws.ACCOUNT_ID}}))

    def connect(self, peer: ec2.IConnectable) -> None:
        """Let ``peer`` (a model's security group) reach every interface endpoint of this network on HTTPS, now and
        those added later: an ingress rule on each endpoint's security group. :class:`~cdk_sagemaker.Model` calls
        this for its own security group."""
        self._peers.append(peer)
        for endpoint in self.interface_endpoints.values():
            self._allow_https(endpoint, peer)

    def allow_invoke_from(self, peer: ec2.IConnectable) -> None:
        """Let a client in the VPC (an application's security group) reach the ``sagemaker.runtime`` endpoint on
        HTTPS, and nothing else of this network."""
        self.add_interface_endpoint("sagemaker.runtime").connections.allow_default_port_from(
            peer, f"HTTPS from {peer_description(peer)}")

    @property
    def s3_prefix_list_id(self) -> str:
        """The id of the region's AWS-managed S3 prefix list (``com.amazonaws.<region>.s3``), where traffic through
        the S3 gateway endpoint goes.

        A model in the VPC downloads its artifact (with network isolation, all customer data) and its image layers
        through its own network interfaces (SageMaker developer guide, "Give SageMaker AI Hosted Endpoints Access to
        Resources in Your Amazon VPC"); through a gateway endpoint that traffic is addressed to S3's public ranges,
        so the security group must allow HTTPS to this prefix list, not to the VPC's range (VPC user guide, "Gateway
        endpoints for Amazon S3", security groups). CloudFormation has no attribute for the id: a read-only custom
        resource (``Custom::S3PrefixList``, one per network) looks it up by name at deploy time, so the same template
        works in every region and partition.
        """
        if self._s3_prefix_list is None:
            self._s3_prefix_list = _s3_prefix_list_lookup(self)
        return self._s3_prefix_list.get_att_string("PrefixListId")

    @property
    def is_single_az(self) -> bool:
        """True when the subnets span fewer than two Availability Zones."""
        return len(self.availability_zones) < MIN_AZS


def vpc_cidr(vpc: ec2.IVpc) -> str | None:
    """The VPC's IPv4 range, or None for an imported VPC whose range was not given."""
    try:
        return vpc.vpc_cidr_block
    except RuntimeError:  # jsii: "Cannot perform this operation: 'vpcCidrBlock' was not supplied ..."
        return None


def _route_table_id(subnet: ec2.ISubnet) -> str | None:
    """The subnet's route table id, or None for an imported subnet given without one."""
    try:
        return subnet.route_table.route_table_id
    except RuntimeError:  # jsii: "Of property Object.routeTableId: Unable to serialize value as string"
        return None


def admit_artifacts(model: object, object_arns: Sequence[str]) -> None:
    """Admit ``object_arns`` through the S3 gateway endpoint of ``model``'s network, if it has one. In VPC mode
    SageMaker downloads a model's artifacts through the model's network interfaces, so through that endpoint, whose
    policy admits only this account's buckets (SageMaker developer guide, "Give SageMaker AI Hosted Endpoints Access to
    Resources in Your Amazon VPC"); an artifact named by ``s3://`` URI or model package may live in another account's
    bucket. See :meth:`InferenceNetwork.allow_s3_read`."""
    network = getattr(model, "network", None)
    if isinstance(network, InferenceNetwork):
        network.allow_s3_read(object_arns)


def peer_description(peer: ec2.IConnectable) -> str:
    """A short rule description naming the peer's construct path."""
    node = getattr(peer, "node", None)
    return node.path if node is not None else "peer"


def _select(vpc: ec2.IVpc, selection: ec2.SubnetSelection) -> ec2.SelectedSubnets:
    """``vpc.select_subnets`` with a ``SubnetSelection`` (jsii's Python binding takes its fields as keywords)."""
    return vpc.select_subnets(availability_zones=selection.availability_zones, one_per_az=selection.one_per_az,
                              subnet_filters=selection.subnet_filters, subnet_group_name=selection.subnet_group_name,
                              subnets=selection.subnets, subnet_type=selection.subnet_type)


def _drop_redundant_depends_on(stack: Stack, provider_id: str) -> None:
    """A CDK custom resource provider makes its handler depend on its role, which the handler already references
    (cfn-lint W3005). Remove the explicit dependency; the reference orders them."""
    provider = stack.node.try_find_child(provider_id)
    if provider is None:
        return
    handler = provider.node.try_find_child("Handler")
    role = provider.node.try_find_child("Role")
    if isinstance(handler, CfnResource) and isinstance(role, CfnResource):
        handler.remove_resource_dependency(role)


def _props_problems(*, vpc: ec2.IVpc | None, subnets: ec2.SubnetSelection | None, max_azs: int, cidr: str,
                    flow_log_key: kms.IKey | None, endpoints: bool) -> list[Problem]:
    """Problems with the network's own props (the VPC it makes, or the one it is given)."""
    out: list[Problem] = []
    if vpc is None:
        if subnets is not None:
            out.append(Problem("subnets", "applies only with vpc=...: the VPC this construct creates has only "
                               "private isolated subnets"))
        if max_azs < MIN_AZS:
            out.append(Problem.of("max_azs", f"must be at least {MIN_AZS} (SageMaker hosting needs subnets in two "
                                  "Availability Zones)", max_azs))
        if not is_unresolved(cidr):
            try:
                net = ipaddress.ip_network(cidr)
                if not 16 <= net.prefixlen <= 24:  # subnets are /24 (EC2 allows VPC blocks /16 to /28)
                    out.append(Problem.of("cidr", "must be an IPv4 block from /16 to /24", cidr))
            except ValueError:
                out.append(Problem.of("cidr", "must be an IPv4 CIDR block such as '10.0.0.0/16'", cidr))
        msg = rotation_problem("flow_log_key", flow_log_key)
        if msg:
            out.append(Problem.parse(msg))
        return out
    if flow_log_key is not None:
        out.append(Problem("flow_log_key", "applies only to the VPC this construct creates (flow logs of a given "
                           "VPC are its owner's)"))
    if not endpoints and vpc_cidr(vpc) is None:
        # Without the range, and without endpoints of ours whose security groups could be named instead, the models'
        # security groups would get no egress at all and could reach no VPC endpoint.
        out.append(Problem.of("vpc", "must carry its IPv4 range when endpoints=False: import it with "
                              "ec2.Vpc.from_vpc_attributes(..., vpc_cidr_block='10.0.0.0/16') (or ec2.Vpc.from_lookup) "
                              "so that models may reach the VPC's interface endpoints on HTTPS",
                              "a VPC without vpc_cidr_block"))
    return out


def _given_subnet_problems(vpc: ec2.IVpc, selected: ec2.SelectedSubnets) -> list[Problem]:
    """A given VPC's selected subnets must be private: public ones route to an internet gateway."""
    public = {s.subnet_id for s in vpc.public_subnets}
    in_public = [_describe(s.subnet_id) for s in selected.subnets if s.subnet_id in public]
    if in_public:
        return [Problem.of("subnets", "must not include public subnets (they route to an internet gateway); select "
                           "SubnetType.PRIVATE_ISOLATED", in_public)]
    return []


def _route_table_problems(selected: ec2.SelectedSubnets) -> list[Problem]:
    """The S3 gateway endpoint is a route in each selected subnet's route table; an imported VPC must name them."""
    missing = [_describe(s.subnet_id) for s in selected.subnets if _route_table_id(s) is None]
    if not missing:
        return []
    return [Problem.of("vpc", "must name the route table of every selected subnet for the S3 gateway endpoint: "
                       "import it with ec2.Vpc.from_vpc_attributes(..., isolated_subnet_route_table_ids=[...] or "
                       "private_subnet_route_table_ids=[...]), or pass endpoints=False if the VPC already has its "
                       "VPC endpoints (S3 gateway included); subnets without a route table id", missing)]


def _describe(subnet_id: str) -> str:
    return "<token>" if is_unresolved(subnet_id) else subnet_id


def _flow_logs(network: Construct, vpc: ec2.IVpc, retention: logs.RetentionDays,
               key: kms.IKey | None) -> tuple[kms.IKey, logs.LogGroup, ec2.CfnFlowLog]:
    """All traffic of ``vpc`` to a KMS-encrypted, retained log group, written by a role with a managed policy; the
    children are made under ``network``."""
    # The group is retained on delete (flow logs are audit records), so its name must not repeat when the stack is
    # deleted and created again, or the new group fails with "already exists". The stack id's UUID is new for every
    # creation of the stack and known before any resource exists (the key policy below needs the name).
    stack_uuid = Fn.select(2, Fn.split("/", Aws.STACK_ID))
    name = Fn.join("", [f"/cdk-sagemaker/vpc-flow-logs/{Names.unique_id(network)}-", stack_uuid])
    group_arn = f"arn:{Aws.PARTITION}:logs:{Aws.REGION}:{Aws.ACCOUNT_ID}:log-group:{name}"
    flow_log_key = key or service_key(
        network, "FlowLogKey", description=f"Encrypts the VPC flow logs of {node_path(network)}",
        service_principals={"logs.amazonaws.com": {"ArnEquals": {"kms:EncryptionContext:aws:logs:arn": group_arn}}},
    )
    group = logs.LogGroup(network, "FlowLogGroup", log_group_name=name, retention=retention,
                          encryption_key=flow_log_key, removal_policy=RemovalPolicy.RETAIN)
    role = iam.Role(network, "FlowLogRole", description=f"Writes the VPC flow logs of {node_path(network)}",
                    assumed_by=iam.ServicePrincipal("vpc-flow-logs.amazonaws.com", conditions={
                        "StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID}}))
    policy = iam.ManagedPolicy(network, "FlowLogPolicy", roles=[role],
                               description=f"Lets VPC flow logs write to the log group of {node_path(network)}")
    policy.add_statements(iam.PolicyStatement(
        actions=["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
        resources=[group.log_group_arn]))
    flow_log = ec2.CfnFlowLog(
        network, "FlowLog", resource_id=vpc.vpc_id, resource_type="VPC", traffic_type="ALL",
        log_destination_type="cloud-watch-logs", log_group_name=group.log_group_name,
        deliver_logs_permission_arn=role.role_arn, max_aggregation_interval=60)
    flow_log.node.add_dependency(policy)
    return flow_log_key, group, flow_log


def _s3_prefix_list_lookup(network: Construct) -> CustomResource:
    """``Custom::S3PrefixList`` under ``network``: a read-only lookup of the region's S3 managed prefix list by the
    gateway endpoint's service name (handler: handlers/s3-prefix-list; one provider per stack, allowed only
    ``ec2:DescribeManagedPrefixLists``)."""
    token = CustomResourceProvider.get_or_create(
        Stack.of(network), "Custom::S3PrefixListProvider",
        code_directory=str(_HANDLERS / "s3-prefix-list"),
        runtime=CustomResourceProviderRuntime.NODEJS_22_X,
        description="Looks up the id of the region's S3 managed prefix list (cdk-sagemaker)",
        policy_statements=[{"Effect": "Allow", "Action": "ec2:DescribeManagedPrefixLists", "Resource": "*"}],
    )
    lookup = CustomResource(network, "S3PrefixList", service_token=token, resource_type=S3_PREFIX_LIST_TYPE,
                            properties={"PrefixListName": ec2.GatewayVpcEndpointAwsService.S3.name})
    _drop_redundant_depends_on(Stack.of(network), "Custom::S3PrefixListProviderCustomResourceProvider")
    return lookup
