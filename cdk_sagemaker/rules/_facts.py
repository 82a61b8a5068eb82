"""Facts the readiness rules share: instance families (one table with the constructs, in ``cdk_sagemaker._instances``),
images that need an accelerator, and the environment variables through which serving containers download a model
from the Hugging Face Hub.

Not a cfn-lint plugin file (leading underscore); import it absolutely.
"""

from __future__ import annotations

import re

from cdk_sagemaker._instances import family, has_instance_storage, is_burstable, is_gpu, is_neuron

__all__ = [
    "HUB_MODEL_VARIABLES",
    "accelerator_of_image",
    "family",
    "has_instance_storage",
    "hub_model_id",
    "is_burstable",
    "is_gpu",
    "is_neuron",
]

# Variables that make a serving container fetch its model from the Hugging Face Hub when the value is a Hub id
# ("org/name") rather than a local path (/opt/ml/model) or an s3:// URI:
# - HF_MODEL_ID: Hugging Face inference toolkit, TGI (huggingface-pytorch-tgi-inference), TEI, LMI (fallback), vLLM
#   DLC (fallback). https://huggingface.co/docs/sagemaker/en/reference/inference-toolkit ,
#   https://docs.djl.ai/docs/serving/serving/docs/lmi/user_guides/starting-guide.html
# - OPTION_MODEL_ID (and its properties-file twin option.model_id): DJL Serving / LMI.
#   https://docs.djl.ai/docs/serving/serving/docs/lmi/deployment_guide/configurations.html
# - SM_VLLM_MODEL: the SageMaker vLLM DLC. https://aws.github.io/deep-learning-containers/vllm/deployment/sagemaker/
# - SM_SGLANG_MODEL_PATH: the SageMaker SGLang DLC (SM_SGLANG_* variables become server flags: --model-path).
#   https://aws.github.io/deep-learning-containers/sglang/
HUB_MODEL_VARIABLES = ("HF_MODEL_ID", "OPTION_MODEL_ID", "SM_VLLM_MODEL", "SM_SGLANG_MODEL_PATH")

_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")


def hub_model_id(value: str) -> bool:
    """True when a model variable names a Hugging Face Hub repository (``meta-llama/Llama-3.1-8B``), not a local path
    (``/opt/ml/model``) or a URI (``s3://...``)."""
    return bool(_HUB_ID.match(value)) and "://" not in value


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
