"""Readiness rules 91xx: networking of VPC-hosted models (security groups, S3 endpoints, subnets, isolation)."""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Iterator, Mapping
from typing import Any

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from cdk_sagemaker.rules._rule import EachRule, TemplateRule
from cdk_sagemaker.rules._template import (
    Template,
    as_list,
    find_string,
    get,
    props,
    resolve_str,
    resource,
    resources,
    security_group_egress,
    security_group_ids,
    target,
    type_of,
)

_HOST_VPC = "https://docs.aws.amazon.com/sagemaker/latest/dg/host-vpc.html"
_TAGS = ["sagemaker", "cdk-sagemaker", "networking"]


def _vpc_models(template: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    return [(name, m) for name, m in resources(template, "AWS::SageMaker::Model")
            if isinstance(props(m).get("VpcConfig"), Mapping)]


def _covers_port_443(rule: Mapping[str, Any]) -> bool:
    proto = str(rule.get("IpProtocol", "")).lower()
    if proto in ("-1", "all"):
        return True
    if proto not in ("tcp", "6"):
        return False
    lo, hi = rule.get("FromPort"), rule.get("ToPort")
    if not isinstance(lo, int | str) or not isinstance(hi, int | str):
        return True  # unresolved ports: give the benefit of the doubt
    try:
        return int(lo) <= 443 <= int(hi) or int(lo) == -1
    except ValueError:
        return True


def _reaches_public_s3(rule: Mapping[str, Any]) -> bool:
    """An egress rule that can carry HTTPS to S3's public address ranges: to a managed prefix list (the gateway
    endpoint's), to 0.0.0.0/0 or ::/0, or to a CIDR that is not a literal private range."""
    if not _covers_port_443(rule):
        return False
    if "DestinationPrefixListId" in rule:
        return True
    for key in ("CidrIp", "CidrIpv6"):
        if key not in rule:
            continue
        value = rule[key]
        if not isinstance(value, str):
            return False  # e.g. the VPC's own CidrBlock attribute: private by construction
        try:
            net = ipaddress.ip_network(value, strict=False)
        except ValueError:
            return True
        return not net.is_private or net.prefixlen == 0
    return False


def _disallows_all(rules: list[tuple[Mapping[str, Any], list[str | int]]]) -> bool:
    """CDK's ``allowAllOutbound: false`` with no other rule: one rule to 255.255.255.255/32 ("Disallow all traffic")."""
    return bool(rules) and all(r.get("CidrIp") == "255.255.255.255/32" for r, _ in rules)


class _VpcModelRule(EachRule):
    """A rule over the models of the template that have a VpcConfig."""

    tags: list[str] = _TAGS

    def each(self, t: Template) -> list[tuple[str, Mapping[str, Any]]]:
        return _vpc_models(t)


class ModelSecurityGroupCannotReachS3(_VpcModelRule, CloudFormationLintRule):
    """In VPC mode SageMaker downloads the model artifact (with network isolation, all customer data) through the
    model's network interfaces. An S3 gateway endpoint carries that traffic to S3's public address ranges (the region's
    S3 managed prefix list), never to the VPC's CIDR, so a security group whose HTTPS egress reaches only private
    ranges (the VPC CIDR, other security groups) blocks the download and the endpoint ends CREATE_FAILED ("Failed to
    download model data ... ensure that an S3 VPC endpoint exists"). Source: "Give SageMaker AI Hosted Endpoints Access
    to Resources in Your Amazon VPC", https://docs.aws.amazon.com/sagemaker/latest/dg/host-vpc.html, and "Gateway
    endpoints for Amazon S3" (security groups must allow the S3 prefix list),
    https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html."""

    id = "E9101"
    shortdesc = "VPC model's security groups cannot reach S3"
    description = "A VPC-hosted model needs HTTPS egress to the S3 prefix list (or 0.0.0.0/0) to download its data"
    source_url = "https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html"

    def check(self, t: Template, name: str, model: Mapping[str, Any]) -> Iterator[RuleMatch]:
        vpc = props(model)["VpcConfig"]
        sgs = security_group_ids(t, vpc)
        if not sgs or len(sgs) != len(as_list(vpc.get("SecurityGroupIds"))):
            return  # an imported group: its rules are not in this template
        rules = [r for sg in sgs for r in security_group_egress(t, sg)]
        if not rules or _disallows_all(rules) or any(_reaches_public_s3(r) for r, _ in rules):
            return  # no egress declared = EC2's allow-all; "disallow all" is E9102
        if _has_s3_interface_endpoint(t):
            return  # S3 through PrivateLink: its addresses are private, in the VPC's range
        yield RuleMatch(
            ["Resources", name, "Properties", "VpcConfig", "SecurityGroupIds"],
            f"Model {name}: VpcConfig.SecurityGroupIds ({', '.join(sgs)}) allow HTTPS only to private ranges, "
            "so the model data cannot be downloaded through the S3 gateway endpoint; add an egress rule for "
            "tcp/443 to the region's S3 managed prefix list (DestinationPrefixListId, e.g. "
            "ec2.Peer.prefix_list(...) or the gateway endpoint's prefix list) or to 0.0.0.0/0")


def _has_s3_interface_endpoint(template: Mapping[str, Any]) -> bool:
    """True when the template makes an S3 *interface* endpoint (PrivateLink): S3 traffic then goes to private
    addresses of the VPC, which egress to the VPC's range reaches."""
    for _, endpoint in resources(template, "AWS::EC2::VPCEndpoint"):
        p = props(endpoint)
        service = resolve_str(template, p.get("ServiceName"), placeholder="*") or ""
        if p.get("VpcEndpointType") == "Interface" and service.endswith(".s3"):
            return True
    return False


class ModelSecurityGroupHasNoEgress(_VpcModelRule, CloudFormationLintRule):
    """A VPC-hosted model whose security groups allow no outbound traffic at all (CDK's ``allowAllOutbound: false``
    leaves only the 255.255.255.255/32 "Disallow all traffic" rule) cannot download its model data or reach any VPC
    endpoint: the endpoint never becomes InService. Source: "Give SageMaker AI Hosted Endpoints Access to Resources in
    Your Amazon VPC", https://docs.aws.amazon.com/sagemaker/latest/dg/host-vpc.html."""

    id = "E9102"
    shortdesc = "VPC model's security groups allow no egress"
    description = "A VPC-hosted model's security groups must allow HTTPS egress to S3 and the VPC endpoints"
    source_url = _HOST_VPC

    def check(self, t: Template, name: str, model: Mapping[str, Any]) -> Iterator[RuleMatch]:
        vpc = props(model)["VpcConfig"]
        sgs = security_group_ids(t, vpc)
        if not sgs or len(sgs) != len(as_list(vpc.get("SecurityGroupIds"))):
            return
        rules = [r for sg in sgs for r in security_group_egress(t, sg)]
        if _disallows_all(rules):
            yield RuleMatch(
                ["Resources", name, "Properties", "VpcConfig", "SecurityGroupIds"],
                f"Model {name}: VpcConfig.SecurityGroupIds ({', '.join(sgs)}) allow no outbound traffic "
                "(only the 'Disallow all traffic' rule), so the model cannot download its data; allow tcp/443 "
                "to the S3 prefix list and to the VPC's interface endpoints (or give the VPC CIDR when you "
                "import the VPC)")


def _subnet_route_table(template: Mapping[str, Any], subnet_id: str) -> str | None:
    for _, assoc in resources(template, "AWS::EC2::SubnetRouteTableAssociation"):
        if target(props(assoc).get("SubnetId")) == subnet_id:
            return target(props(assoc).get("RouteTableId"))
    return None


def _has_default_route(template: Mapping[str, Any], route_table: str) -> bool:
    for _, route in resources(template, "AWS::EC2::Route"):
        p = props(route)
        if target(p.get("RouteTableId")) != route_table:
            continue
        if p.get("DestinationCidrBlock") == "0.0.0.0/0" or p.get("DestinationIpv6CidrBlock") == "::/0":
            return True
    return False


def _is_s3_service(template: Mapping[str, Any], endpoint: Mapping[str, Any]) -> bool:
    return find_string(template, props(endpoint).get("ServiceName")).endswith(".s3")


class VpcModelWithoutS3Endpoint(TemplateRule, CloudFormationLintRule):
    """A model in subnets that have no route to the internet (no 0.0.0.0/0 route in their route tables) can reach S3
    only through an S3 VPC endpoint: a gateway endpoint on the subnets' route tables or an interface endpoint in the
    subnets. Without one SageMaker cannot download the model artifact and the endpoint ends CREATE_FAILED. Source:
    "Give SageMaker AI Hosted Endpoints Access to Resources in Your Amazon VPC" (create an S3 VPC endpoint),
    https://docs.aws.amazon.com/sagemaker/latest/dg/host-vpc.html."""

    id = "E9103"
    shortdesc = "VPC model in isolated subnets without an S3 endpoint"
    description = "Subnets without an internet route need an S3 VPC endpoint for the model download"
    source_url = _HOST_VPC
    tags = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        s3_endpoints = [e for _, e in resources(t, "AWS::EC2::VPCEndpoint") if _is_s3_service(t, e)]
        for name, model in _vpc_models(t):
            subnets = as_list(get(props(model), "VpcConfig", "Subnets"))
            ids = [target(s) for s in subnets]
            if not ids or any(i is None or type_of(t, i) != "AWS::EC2::Subnet" for i in ids):
                continue  # imported subnets: their routes are not in this template
            tables = {i: _subnet_route_table(t, i) for i in ids if i is not None}
            if any(rt is None for rt in tables.values()) or any(
                    rt is not None and _has_default_route(t, rt) for rt in tables.values()):
                continue
            missing = []
            for subnet, rt in tables.items():
                covered = False
                for ep in s3_endpoints:
                    p = props(ep)
                    if rt in {target(r) for r in as_list(p.get("RouteTableIds"))} or \
                            subnet in {target(s) for s in as_list(p.get("SubnetIds"))}:
                        covered = True
                if not covered:
                    missing.append(subnet)
            if missing:
                yield RuleMatch(
                    ["Resources", name, "Properties", "VpcConfig", "Subnets"],
                    f"Model {name}: VpcConfig.Subnets {', '.join(missing)} have no route to the internet and no "
                    "S3 VPC endpoint, so SageMaker cannot download the model data; add an S3 gateway endpoint "
                    "(com.amazonaws.<region>.s3) on their route tables")


class VpcModelInOneAvailabilityZone(_VpcModelRule, CloudFormationLintRule):
    """SageMaker spreads an endpoint's instances over the Availability Zones of the model's subnets; with one subnet
    (or subnets in one zone) an AZ outage takes the whole endpoint down and instance capacity is limited to one zone.
    Source: "Best practices for deploying models on SageMaker AI Hosting Services" (configure the VPC with at least
    two subnets, each in a different Availability Zone),
    https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-best-practices.html."""

    id = "W9104"
    shortdesc = "VPC model in a single Availability Zone"
    description = "A VPC-hosted model should use subnets in at least two Availability Zones"
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-best-practices.html"

    def check(self, t: Template, name: str, model: Mapping[str, Any]) -> Iterator[RuleMatch]:
        subnets = as_list(get(props(model), "VpcConfig", "Subnets"))
        if any(isinstance(s, Mapping) and "Fn::Split" in s for s in subnets):
            return  # a list from a parameter or an import: count unknown
        zones: set[str] = set()
        for s in subnets:
            sid = target(s)
            az = props(resource(t, sid)).get("AvailabilityZone") if type_of(t, sid) == "AWS::EC2::Subnet" \
                else None
            zones.add(json.dumps(az, sort_keys=True) if az is not None else f"unknown:{json.dumps(s)}")
        if len(subnets) == 1 or (len(subnets) > 1 and len(zones) == 1 and not next(iter(zones)).startswith(
                "unknown:")):
            yield RuleMatch(
                ["Resources", name, "Properties", "VpcConfig", "Subnets"],
                f"Model {name}: VpcConfig.Subnets are all in one Availability Zone; give subnets in at least "
                "two zones so the endpoint's instances survive a zone outage")


class InferenceComponentIsolationNotOnConfig(TemplateRule, CloudFormationLintRule):
    """For an endpoint that hosts inference components, the network settings are the endpoint config's: SageMaker
    applies CreateEndpointConfig ``EnableNetworkIsolation`` and ``VpcConfig`` to the instances that run the components,
    not the ``EnableNetworkIsolation`` / ``VpcConfig`` of each component's model. A component whose model asks for
    isolation or a VPC on a config that has neither runs without them. Source: CreateEndpointConfig
    (EnableNetworkIsolation, VpcConfig), https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpointConfig.html."""

    id = "W9105"
    shortdesc = "Inference component model's isolation or VPC is not on the endpoint config"
    description = "Carry the models' EnableNetworkIsolation / VpcConfig to the endpoint config of inference components"
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpointConfig.html"
    tags = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        for ic_name, ic in resources(t, "AWS::SageMaker::InferenceComponent"):
            p = props(ic)
            model_id = target(get(p, "Specification", "ModelName"))
            endpoint_id = target(p.get("EndpointName"))
            if type_of(t, model_id) != "AWS::SageMaker::Model" or type_of(t, endpoint_id) != "AWS::SageMaker::Endpoint":
                continue
            config_id = target(props(resource(t, endpoint_id)).get("EndpointConfigName"))
            if type_of(t, config_id) != "AWS::SageMaker::EndpointConfig":
                continue
            mp, cp = props(resource(t, model_id)), props(resource(t, config_id))
            if mp.get("EnableNetworkIsolation") in (True, "true") and \
                    cp.get("EnableNetworkIsolation") not in (True, "true"):
                yield RuleMatch(
                    ["Resources", config_id, "Properties"],
                    f"EndpointConfig {config_id}: inference component {ic_name} runs model {model_id}, which sets "
                    "EnableNetworkIsolation, but the config does not; set EnableNetworkIsolation: true on the "
                    "endpoint config (it is the setting SageMaker applies to inference components)")
            if isinstance(mp.get("VpcConfig"), Mapping) and not isinstance(cp.get("VpcConfig"), Mapping):
                yield RuleMatch(
                    ["Resources", config_id, "Properties"],
                    f"EndpointConfig {config_id}: inference component {ic_name} runs model {model_id}, which has a "
                    "VpcConfig, but the config has none; set the same VpcConfig on the endpoint config")
