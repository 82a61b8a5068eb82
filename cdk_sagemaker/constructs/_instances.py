"""Internal: what SageMaker does differently by ML instance family. One table, used by the constructs and by the
deploy-readiness rules (``cdk_sagemaker.rules``), so that both agree.

None of this is in botocore's service model (it lists the instance types, not their hardware); each fact cites the
page it comes from.
"""

from __future__ import annotations

import re
from typing import Literal

__all__ = ["Accelerator", "accelerator_of", "family_of", "has_instance_storage", "is_burstable"]

Accelerator = Literal["gpu", "neuron", "gaudi"]

# Instance families with local NVMe instance storage. "Certain Nitro-based instances include local storage ... You
# can't request a KmsKeyId when using an instance type with local storage ... the call to CreateEndpointConfig
# fails" (SageMaker API reference, CreateEndpointConfig, KmsKeyId; the same for VolumeKmsKeyId of transform jobs).
# Which families have it: EC2 user guide, "Instance store volumes" (the families whose name carries a "d" - m5d,
# c6gd, g4dn, p4d - and g5, g6, g6e, p5*, p6*, trn1*, trn2, dl1).
_LOCAL_STORAGE_FAMILY = re.compile(
    r"^(?:[a-z]+\d+[a-z]*d[a-z]*|g5|g6|g6e|p5|p5e|p5en|p6-b200|p6-b300|p6e-gb200|trn1|trn1n|trn2|dl1)$")

# Accelerated families (EC2 user guide, "Accelerated computing instances"): NVIDIA GPUs on g*/p*, AWS Inferentia and
# Trainium (Neuron SDK) on inf*/trn*, Intel Gaudi on dl1. CUDA images need a GPU family, Neuron images a Neuron one
# (SageMaker developer guide, "Deep Learning Containers" / "Available images").
_GPU_FAMILY = re.compile(r"^[gp]\d")
_NEURON_FAMILY = re.compile(r"^(?:inf|trn)\d")
_GAUDI_FAMILY = re.compile(r"^dl\d")

# Burstable families: "Amazon SageMaker AI automatic scaling doesn't support burstable instances" - in hosting only
# ml.t2 (SageMaker developer guide, "Prerequisites" of "Automatic scaling of Amazon SageMaker AI models").
_BURSTABLE_FAMILY = re.compile(r"^t\d")


def family_of(instance_type: str) -> str | None:
    """``"g5"`` for ``"ml.g5.2xlarge"``; None for anything that is not ``ml.<family>.<size>``."""
    parts = instance_type.split(".")
    return parts[1] if len(parts) == 3 and parts[0] == "ml" else None


def has_instance_storage(instance_type: str) -> bool:
    """True for instance types with local NVMe storage (``ml.m5d.large``, ``ml.g4dn.xlarge``, ``ml.g5.2xlarge``),
    which refuse a ``KmsKeyId`` / ``VolumeKmsKeyId`` and an EBS ``VolumeSizeInGB``."""
    family = family_of(instance_type)
    return family is not None and bool(_LOCAL_STORAGE_FAMILY.match(family))


def accelerator_of(instance_type: str) -> Accelerator | None:
    """The accelerator an instance type carries: ``"gpu"`` (NVIDIA), ``"neuron"`` (Inferentia/Trainium),
    ``"gaudi"`` (Intel Gaudi), or None for CPU-only types."""
    family = family_of(instance_type)
    if family is None:
        return None
    if _GPU_FAMILY.match(family):
        return "gpu"
    if _NEURON_FAMILY.match(family):
        return "neuron"
    if _GAUDI_FAMILY.match(family):
        return "gaudi"
    return None


def is_burstable(instance_type: str) -> bool:
    """True for burstable instance types (``ml.t2.medium``), which SageMaker auto scaling does not support."""
    family = family_of(instance_type)
    return family is not None and bool(_BURSTABLE_FAMILY.match(family))
