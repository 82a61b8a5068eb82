"""What a local deployment or destroy produced: per stack, per emulated resource, per SageMaker endpoint, per
resource a destroy kept, cleaned or left."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, kw_only=True, slots=True)
class Resource:
    """A resource of a deployed stack."""

    logical_id: str
    type: str
    physical_id: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Emulated:
    """A resource (or part of one) that moto's CloudFormation skipped and the engine made through a service API."""

    logical_id: str
    type: str
    physical_id: str
    api: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Unemulated:
    """A resource or property that exists in the template but not in the local AWS, and why."""

    logical_id: str
    type: str
    reason: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Variant:
    """A production variant of an endpoint; ``kind`` is ``instance``, ``serverless`` or ``async``.

    ``instance_type`` is the template's; ``local_instance_type`` is the stand-in the local AWS runs instead when moto
    does not list that type (``None`` when it runs the template's type)."""

    name: str
    kind: str
    instance_type: str | None = None
    instance_count: int | None = None
    memory_size_mb: int | None = None
    max_concurrency: int | None = None
    local_instance_type: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class EndpointReport:
    """A SageMaker endpoint of a deployed stack."""

    stack: str
    logical_id: str
    name: str
    status: str
    config_name: str
    variants: tuple[Variant, ...]
    #: The model version the endpoint runs, as its config's ``cdk-sagemaker:model-version`` tag says (None without).
    model_version: str | None = None


@dataclass(kw_only=True, slots=True)
class StackReport:
    """One stack: status, created resources, outputs, what was emulated and what was not."""

    name: str
    region: str
    status: str = "NOT_DEPLOYED"
    elapsed_s: float = 0.0
    resources: list[Resource] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)
    emulated: list[Emulated] = field(default_factory=list)
    unemulated: list[Unemulated] = field(default_factory=list)
    images_not_built: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        """True when the stack reached CREATE_COMPLETE or UPDATE_COMPLETE."""
        return self.status in ("CREATE_COMPLETE", "UPDATE_COMPLETE")

    def physical_id(self, logical_id: str) -> str:
        """The physical id of a resource (moto-made or emulated) by logical id."""
        for resource in self.resources:
            if resource.logical_id == logical_id:
                return resource.physical_id
        for emulated in self.emulated:
            if emulated.logical_id == logical_id:
                return emulated.physical_id
        raise KeyError(logical_id)


@dataclass(kw_only=True, slots=True)
class DeployReport:
    """The result of :func:`cdk_sagemaker.local.deploy_app`."""

    endpoint_url: str | None
    stacks: list[StackReport] = field(default_factory=list)
    endpoints: list[EndpointReport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every stack deployed."""
        return all(stack.ok for stack in self.stacks)

    def stack(self, name: str) -> StackReport:
        """The report of the stack called ``name``."""
        for stack in self.stacks:
            if stack.name == name:
                return stack
        raise KeyError(f"no stack {name!r} in the report; stacks: {[s.name for s in self.stacks]}")

    def format(self) -> str:
        """The summary table: one block per stack, then one line per SageMaker endpoint."""
        rows: list[tuple[str, ...]] = [("STACK", "STATUS", "RESOURCES", "EMULATED BY API", "UNEMULATED", "SECONDS")]
        for stack in self.stacks:
            rows.append(
                (
                    stack.name,
                    stack.status,
                    str(len(stack.resources)),
                    str(len(stack.emulated)),
                    str(len(stack.unemulated)),
                    f"{stack.elapsed_s:.1f}",
                )
            )
        lines = _table(rows)
        for stack in self.stacks:
            for item in stack.emulated:
                lines.append(f"  {stack.name}: emulated {item.logical_id} ({item.type}) via {item.api}")
            for gap in stack.unemulated:
                lines.append(f"  {stack.name}: NOT emulated {gap.logical_id} ({gap.type}): {gap.reason}")
            for image in stack.images_not_built:
                lines.append(f"  {stack.name}: Docker image asset not built: {image}")
            if stack.error:
                lines.append(f"  {stack.name}: error: {stack.error}")
        if self.endpoints:
            lines.append("")
            versions = any(endpoint.model_version for endpoint in self.endpoints)
            endpoint_rows: list[tuple[str, ...]] = [("STACK", "ENDPOINT", "STATUS", *(("VERSION",) if versions else ()),
                                                     "VARIANTS")]
            for endpoint in self.endpoints:
                variants = ", ".join(_describe_variant(variant) for variant in endpoint.variants)
                version = ((endpoint.model_version or "-",) if versions else ())
                endpoint_rows.append((endpoint.stack, endpoint.name, endpoint.status, *version, variants))
            lines.extend(_table(endpoint_rows))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.format()


def _describe_variant(variant: Variant) -> str:
    if variant.kind == "serverless":
        return f"{variant.name}:serverless({variant.memory_size_mb} MB x{variant.max_concurrency})"
    stand_in = f", locally on {variant.local_instance_type}" if variant.local_instance_type else ""
    return f"{variant.name}:{variant.kind}({variant.instance_type} x{variant.instance_count}{stand_in})"


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]


@dataclass(frozen=True, kw_only=True, slots=True)
class Leftover:
    """A resource of a deleted stack that still exists in the local AWS (or could not be checked), and why."""

    logical_id: str
    type: str
    physical_id: str
    reason: str


@dataclass(kw_only=True, slots=True)
class DestroyReport:
    """What a local destroy did: ``retained`` (kept by ``DeletionPolicy``, as on AWS), ``cleaned`` (left by moto's
    CloudFormation and deleted by the engine through service APIs), ``left`` (still there, with the reason)."""

    name: str
    region: str
    cloudformation_error: str | None = None
    retained: list[Resource] | None = None
    cleaned: list[Resource] | None = None
    left: list[Leftover] | None = None

    @property
    def ok(self) -> bool:
        """True when nothing but retained resources is left."""
        return not self.left

    def format(self) -> str:
        """One line per retained, cleaned and left resource."""
        lines = [f"{self.name}: {'deleted' if self.ok else 'NOT fully deleted'}"]
        if self.cloudformation_error:
            lines.append(f"  moto's CloudFormation delete failed: {self.cloudformation_error}")
        lines += [f"  kept (DeletionPolicy) {r.logical_id} ({r.type}) {r.physical_id}" for r in self.retained or []]
        lines += [f"  deleted by the engine {r.logical_id} ({r.type}) {r.physical_id}" for r in self.cleaned or []]
        lines += [f"  LEFT {r.logical_id} ({r.type}) {r.physical_id}: {r.reason}" for r in self.left or []]
        return "\n".join(lines)
