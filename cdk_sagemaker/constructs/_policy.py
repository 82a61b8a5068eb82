"""Internal: the sink that images and model data add their least-privilege statements to."""

from __future__ import annotations

from typing import Protocol

from aws_cdk import aws_iam as iam


class PolicySink(Protocol):
    """Something that can take IAM statements for the role SageMaker runs the container with."""

    def add_to_role_policy(self, statement: iam.PolicyStatement) -> None: ...
