"""Facts the readiness rules share: instance families (one table with the constructs, in ``cdk_sagemaker._instances``),
and images that need an accelerator. The variables through which serving containers download a model at start-up are
in ``cdk_sagemaker._containers`` (shared with ``Model``'s validation).

Not a cfn-lint plugin file (leading underscore); import it absolutely.
"""

from __future__ import annotations

import re

from cdk_sagemaker._instances import family, has_instance_storage, is_burstable, is_gpu, is_neuron

__all__ = [
    "accelerator_of_image",
    "family",
    "has_instance_storage",
    "is_burstable",
    "is_gpu",
    "is_neuron",
]

# Image repositories (the path after the registry host) that exist only for NVIDIA GPUs or AWS Neuron devices. The
# prebuilt catalogue (cdk_sagemaker/data/prebuilt_images.json, generated from the SageMaker Python SDK's image_uris)
# lists these repositories with gpu or neuron processors only. Tags such as "-gpu-" / "-cu121-" / "neuronx" mark GPU or
# Neuron builds of the multi-processor repositories (pytorch-inference, tensorflow-inference, ...).
# https://github.com/aws/deep-learning-containers/blob/master/available_images.md
_GPU_REPOSITORIES = re.compile(
    r"^(?:huggingface-pytorch-tgi-inference|huggingface-llm|tgi-inference|djl-inference|djl-lmi|"
    r"djl-tensorrtllm|vllm|sglang|stabilityai-pytorch-inference|huggingface-pytorch-trt)$")
_NEURON_REPOSITORIES = re.compile(r"^(?:.*-neuronx?|.*-neuronx?-.*|huggingface-llm-neuronx|pytorch-inference-neuronx)$")
_GPU_TAG = re.compile(r"(?:^|[-_])(?:gpu|cu\d{3}|cuda)(?:[-_.]|$)")
_NEURON_TAG = re.compile(r"(?:^|[-_])neuronx?(?:[-_.]|$)|(?:^|[-_])(?:inf|trn)\d")
_CPU_TAG = re.compile(r"(?:^|[-_])cpu(?:[-_.]|$)")


def accelerator_of_image(image: str) -> str | None:
    """``"gpu"`` or ``"neuron"`` when the image URI (``ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPO:TAG``, unknown parts
    as ``*``) can only run on that accelerator; ``None`` when it may run on CPU or is unknown."""
    path = image.split("/", 1)[1] if "/" in image else image
    repo, _, tag = path.partition(":")
    repo = repo.rsplit("/", 1)[-1]
    if _CPU_TAG.search(tag):
        return None
    if _NEURON_REPOSITORIES.match(repo) or _NEURON_TAG.search(tag):
        return "neuron"
    if _GPU_REPOSITORIES.match(repo) or _GPU_TAG.search(tag):
        return "gpu"
    return None
