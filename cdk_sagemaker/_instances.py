"""Facts about SageMaker ML instance types that the constructs and the readiness rules share (no aws-cdk import, so
the cfn-lint rules load without starting jsii).

Sources:
- Local NVMe storage: CreateEndpointConfig ``KmsKeyId`` ("Certain Nitro-based instances include local storage ...
  You can't request a KmsKeyId when using an instance type with local storage"),
  https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpointConfig.html, and the EC2 list of
  instance store volumes, https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instance-store-volumes.html.
- Accelerated families: Amazon SageMaker AI pricing / instance types,
  https://docs.aws.amazon.com/sagemaker/latest/dg/notebooks-available-instance-types.html (GPU: g4dn, g5, g6, g6e,
  p3, p4d, p5 ...; AWS Inferentia / Trainium: inf1, inf2, trn1, trn2).
- Burstable families (T2/T3): "Auto scaling prerequisites",
  https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-prerequisites.html.
"""

from __future__ import annotations

import re
from typing import Literal

__all__ = ["Accelerator", "accelerator_of", "family", "has_instance_storage", "is_burstable", "is_gpu", "is_neuron"]

Accelerator = Literal["gpu", "neuron", "gaudi"]

# Instance families with local NVMe instance storage: SageMaker rejects a KmsKeyId on their endpoint configs
# (the local volumes are hardware-encrypted instead): every family with a "d" size suffix (m5d, c5d, r5d, g4dn,
# p4d, p3dn, ...) and the families whose every size has NVMe storage (g5, g6, g6e, p5*, p6*, trn1*, trn2, dl1).
_LOCAL_STORAGE_FAMILY = re.compile(
    r"^(?:[a-z]+\d+[a-z]*d[a-z]*|g5|g6|g6e|p5|p5e|p5en|p6-b200|p6-b300|p6e-gb200|trn1|trn1n|trn2|dl1)$")
# NVIDIA GPU families on SageMaker hosting (ml.g*, ml.p*).
_GPU_FAMILY = re.compile(r"^(?:g\d+[a-z]*|p\d+[a-z]*(?:-[a-z0-9]+)?)$")
# AWS Inferentia and Trainium families (Neuron devices, no CUDA).
_NEURON_FAMILY = re.compile(r"^(?:inf\d+|trn\d+[a-z]*)$")
# Intel Gaudi (Habana) accelerators: neither CUDA nor Neuron.
_GAUDI_FAMILY = re.compile(r"^dl\d+$")
# Burstable performance families.
_BURSTABLE_FAMILY = re.compile(r"^t\d+[a-z]*$")


def family(instance_type: str) -> str | None:
    """The family of an ML instance type (``"g5"`` for ``ml.g5.2xlarge``), ``None`` if it is not ``ml.F.SIZE``."""
    parts = instance_type.split(".")
    return parts[1] if len(parts) == 3 and parts[0] == "ml" else None


def _family_matches(instance_type: str, families: re.Pattern[str]) -> bool:
    fam = family(instance_type)
    return fam is not None and bool(families.match(fam))


def has_instance_storage(instance_type: str) -> bool:
    """True for instance types with local NVMe storage (``ml.m5d.large``, ``ml.g4dn.xlarge``, ``ml.g5.2xlarge``)."""
    return _family_matches(instance_type, _LOCAL_STORAGE_FAMILY)


def is_gpu(instance_type: str) -> bool:
    """True for NVIDIA GPU instance types (``ml.g5.xlarge``, ``ml.p4d.24xlarge``)."""
    return _family_matches(instance_type, _GPU_FAMILY)


def is_neuron(instance_type: str) -> bool:
    """True for AWS Inferentia / Trainium instance types (``ml.inf2.xlarge``, ``ml.trn1.2xlarge``)."""
    return _family_matches(instance_type, _NEURON_FAMILY)


def is_burstable(instance_type: str) -> bool:
    """True for burstable performance instance types (``ml.t2.medium``, ``ml.t3.large``)."""
    return _family_matches(instance_type, _BURSTABLE_FAMILY)


def accelerator_of(instance_type: str) -> Accelerator | None:
    """The accelerator an instance type carries: ``"gpu"`` (NVIDIA), ``"neuron"`` (Inferentia/Trainium),
    ``"gaudi"`` (Intel Gaudi), or None for CPU-only types. A CUDA image needs ``"gpu"``, a Neuron image
    ``"neuron"``."""
    if is_gpu(instance_type):
        return "gpu"
    if is_neuron(instance_type):
        return "neuron"
    if _family_matches(instance_type, _GAUDI_FAMILY):
        return "gaudi"
    return None
