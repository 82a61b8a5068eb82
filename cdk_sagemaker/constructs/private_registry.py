"""The credentials provider of a private Docker registry: a Lambda function that returns the registry's login from a
Secrets Manager secret, for :meth:`~cdk_sagemaker.ContainerImage.from_private_registry`.

SageMaker calls the function (``ImageConfig.RepositoryAuthConfig.RepositoryCredentialsProviderArn``) as the model's
execution role and expects ``{"Credentials": {"Username": ..., "Password": ...}}`` (SageMaker developer guide, "Use
a Docker registry that requires authentication",
https://docs.aws.amazon.com/sagemaker/latest/dg/docker-containers-adapt-your-own-private-registry-authentication.html).
"""

from __future__ import annotations

from aws_cdk import Aws, Duration, Fn, Names, RemovalPolicy
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from cdk_sagemaker.constructs._jsii import node_path
from cdk_sagemaker.constructs._keys import service_key
from cdk_sagemaker.constructs.network import InferenceNetwork, vpc_cidr

__all__ = ["RegistryCredentialsProvider"]

_HANDLER = """\
import json
import os

import boto3

_CLIENT = boto3.client("secretsmanager")


def handler(event, context):
    login = json.loads(_CLIENT.get_secret_value(SecretId=os.environ["SECRET_ARN"])["SecretString"])
    return {"Credentials": {"Username": login[os.environ["USERNAME_KEY"]],
                            "Password": login[os.environ["PASSWORD_KEY"]]}}
"""


class RegistryCredentialsProvider(Construct):
    """A Lambda function that gives SageMaker the login of a private Docker registry, read from ``secret`` (a JSON
    secret with ``username_key`` and ``password_key``).

    Least privilege: the function's role may read exactly that secret (and decrypt with its key) and write its own
    log group; the model's role gets ``lambda:InvokeFunction`` on exactly this function when the image is bound
    (``ContainerImage.from_private_registry(uri, credentials_provider=provider.function)``). The function runs in the
    ``network``'s subnets with a security group that allows only HTTPS to the VPC (the network gets a Secrets Manager
    interface endpoint), reserved concurrency, and a log group encrypted with its own key.

    Default: keys ``username`` / ``password`` (Secrets Manager's own credential keys), one year of logs, 5 concurrent
    executions.

    Attributes: ``function`` (``node.default_child``'s function), ``role``, ``log_group``, ``security_group``.
    """

    def __init__(self, scope: Construct, id: str, *, secret: secretsmanager.ISecret, network: InferenceNetwork,
                 username_key: str = "username", password_key: str = "password",
                 log_retention: logs.RetentionDays = logs.RetentionDays.ONE_YEAR,
                 reserved_concurrency: int = 5) -> None:
        super().__init__(scope, id)
        # The log group's name is known before it exists (the key policy names it) and unique per stack creation.
        name = Fn.join("", [f"/cdk-sagemaker/registry-credentials/{Names.unique_id(self)}-",
                            Fn.select(2, Fn.split("/", Aws.STACK_ID))])
        group_arn = f"arn:{Aws.PARTITION}:logs:{Aws.REGION}:{Aws.ACCOUNT_ID}:log-group:{name}"
        key = service_key(self, "LogKey", description=f"Encrypts the logs of {node_path(self)}",
                          service_principals={"logs.amazonaws.com": {
                              "ArnEquals": {"kms:EncryptionContext:aws:logs:arn": group_arn}}},
                          removal_policy=RemovalPolicy.DESTROY)
        self.log_group = logs.LogGroup(self, "Logs", log_group_name=name, retention=log_retention,
                                       encryption_key=key, removal_policy=RemovalPolicy.DESTROY)
        self.role = iam.Role(self, "Role", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
                             description=f"Reads one registry login for SageMaker ({node_path(self)})")
        statements = [
            iam.PolicyStatement(actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                                resources=[self.log_group.log_group_arn]),
            iam.PolicyStatement(actions=["secretsmanager:GetSecretValue"], resources=[secret.secret_arn]),
            # Lambda attaches the function's network interfaces; these actions have no resource-level permissions.
            iam.PolicyStatement(actions=["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces",
                                         "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses",
                                         "ec2:UnassignPrivateIpAddresses"], resources=["*"]),
        ]
        if secret.encryption_key is not None:
            statements.append(iam.PolicyStatement(actions=["kms:Decrypt"],
                                                  resources=[secret.encryption_key.key_arn]))
        policy = iam.ManagedPolicy(self, "Policy", roles=[self.role], statements=statements,
                                   description=f"Least privilege of {node_path(self)}")
        self.security_group = ec2.SecurityGroup(self, "SecurityGroup", vpc=network.vpc, allow_all_outbound=False,
                                                description=f"{node_path(self)}: HTTPS to the VPC endpoints only")
        cidr = vpc_cidr(network.vpc)
        if cidr is not None:
            self.security_group.add_egress_rule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(443), "HTTPS to VPC endpoints")
        network.add_interface_endpoint("secretsmanager")
        network.connect(self.security_group)
        self.function = lambda_.Function(
            self, "Function", runtime=lambda_.Runtime.PYTHON_3_14, handler="index.handler",
            code=lambda_.Code.from_inline(_HANDLER), role=_reference(self, self.role), log_group=self.log_group,
            timeout=Duration.seconds(10), memory_size=128, reserved_concurrent_executions=reserved_concurrency,
            description=f"Returns the private registry login of {node_path(self)} to SageMaker",
            environment={"SECRET_ARN": secret.secret_arn, "USERNAME_KEY": username_key,
                         "PASSWORD_KEY": password_key},
            vpc=network.vpc, vpc_subnets=network.subnet_selection,
            security_groups=[self.security_group])
        self.function.node.add_dependency(policy)
        from cdk_sagemaker.constructs._nag import acknowledge_all, acknowledge_resource

        acknowledge_resource(policy, self.log_group.log_group_arn,
                             "Lambda names the log streams of the function's own log group; the grant is limited to "
                             "that one group.")
        acknowledge_all(policy, [("AwsSolutions-IAM5[Resource::*]",
                                  "The EC2 network-interface actions Lambda needs to run the function in the VPC "
                                  "support no resource-level permissions.")])
        acknowledge_all(self.function, [
            (f"{pack}-LambdaDLQ", "SageMaker invokes the function synchronously for each image pull and reads its "
             "answer; a dead-letter queue only receives failed asynchronous invocations.")
            for pack in ("NIST.800.53.R5", "HIPAA.Security")])


def _reference(scope: Construct, role: iam.Role) -> iam.IRole:
    """``role`` by reference for the function: a CDK ``Function`` makes its resource depend on the role it is given,
    which the function's ``Role`` attribute already references (cfn-lint W3005, a redundant ``DependsOn``). An
    immutable reference renders the same ``Role`` and no ``DependsOn``; the role's policy stays this construct's."""
    return iam.Role.from_role_arn(scope, "RoleReference", role.role_arn, mutable=False)
