"""Internal: facts about the large-model (LLM) serving containers of the prebuilt catalogue and the accelerator
memory of the instance types they run on. Shared by the constructs and the readiness rules (no aws-cdk import).

Containers (prebuilt catalogue frameworks, ``cdk_sagemaker/data/prebuilt_images.json``):

- ``huggingface-llm``: Hugging Face Text Generation Inference (TGI), repository ``huggingface-pytorch-tgi-inference``
  (Neuron builds: ``huggingface-pytorch-tgi-inference`` with a ``neuronx`` tag). Variables: "Hugging Face LLM
  Inference Container for Amazon SageMaker" (https://huggingface.co/docs/sagemaker/reference) and TGI's launcher
  (https://huggingface.co/docs/text-generation-inference/reference/launcher): ``HF_MODEL_ID``, ``SM_NUM_GPUS`` (the
  shards, one per GPU), ``MAX_INPUT_TOKENS``/``MAX_INPUT_LENGTH``, ``MAX_TOTAL_TOKENS``, ``MAX_BATCH_PREFILL_TOKENS``,
  ``QUANTIZE``, ``HF_TOKEN``.
- ``djl-lmi``: Large Model Inference (LMI, DJL Serving), repository ``djl-inference``. Variables: LMI user guide,
  "Container and Model Configurations" (https://docs.djl.ai/master/docs/serving/serving/docs/lmi/deployment_guide/
  configurations.html): ``HF_MODEL_ID``/``OPTION_MODEL_ID``, ``OPTION_TENSOR_PARALLEL_DEGREE``,
  ``OPTION_ROLLING_BATCH``, ``OPTION_MAX_ROLLING_BATCH_SIZE``, ``OPTION_MAX_MODEL_LEN``, ``OPTION_DTYPE``,
  ``HF_TOKEN``.
- ``vllm`` and ``sglang``: the SageMaker deep-learning containers' entrypoints turn every ``SM_VLLM_<ARG>`` /
  ``SM_SGLANG_<ARG>`` into the server's ``--<arg>`` (aws/deep-learning-containers, ``sagemaker_entrypoint.sh``):
  ``SM_VLLM_MODEL``, ``SM_VLLM_TENSOR_PARALLEL_SIZE``, ``SM_VLLM_MAX_MODEL_LEN``, ``SM_VLLM_GPU_MEMORY_UTILIZATION``;
  ``SM_SGLANG_MODEL_PATH``, ``SM_SGLANG_TP_SIZE``, ``SM_SGLANG_CONTEXT_LENGTH``.
- ``huggingface-tei`` / ``huggingface-tei-cpu``: Text Embeddings Inference (https://huggingface.co/docs/
  text-embeddings-inference/cli_arguments): ``HF_MODEL_ID``, ``MAX_BATCH_TOKENS``, ``MAX_CLIENT_BATCH_SIZE``.

Start-up: these containers download (or load) multi-gigabyte weights and compile kernels before their ``/ping``
answers; SageMaker's large-model guidance is to raise ``ContainerStartupHealthCheckTimeoutInSeconds`` and
``ModelDataDownloadTimeoutInSeconds`` (up to 3600 s) for them ("Deploy large models for inference: Configurable
timeouts", https://docs.aws.amazon.com/sagemaker/latest/dg/large-model-inference-hosting.html).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["ACCELERATOR_MEMORY", "DEFAULT_DOWNLOAD_TIMEOUT_S", "DEFAULT_STARTUP_TIMEOUT_S", "LLM_CONTAINERS",
           "MIN_STARTUP_TIMEOUT_S", "AcceleratorMemory", "LlmContainer", "container_of_framework",
           "container_of_image_text", "container_of_repository", "container_of_uri", "memory_of"]

#: Start-up health-check timeout the constructs set for an LLM container when none is given (our choice: 15 minutes;
#: SageMaker's default, 60-odd seconds for the ping, is too short for a model of several GB, and the large-model guide
#: above raises both timeouts for them).
DEFAULT_STARTUP_TIMEOUT_S = 900
#: Model-data download timeout likewise set by default (our choice, 15 minutes).
DEFAULT_DOWNLOAD_TIMEOUT_S = 900
#: Below this, readiness rule W9452 warns for an LLM container (our threshold: 10 minutes).
MIN_STARTUP_TIMEOUT_S = 600


@dataclass(frozen=True, slots=True)
class LlmContainer:
    """One LLM serving container: its catalogue framework, label, the variable that sets its tensor-parallel degree
    (the accelerators one copy shards the model over; ``None``: the container does not shard) and the variables it
    documents."""

    framework: str
    label: str
    tensor_parallel: str | None
    variables: tuple[str, ...]
    repositories: tuple[str, ...]


LLM_CONTAINERS: Mapping[str, LlmContainer] = {c.framework: c for c in (
    LlmContainer("huggingface-llm", "Hugging Face TGI", "SM_NUM_GPUS",
                 ("HF_MODEL_ID", "SM_NUM_GPUS", "MAX_INPUT_TOKENS", "MAX_INPUT_LENGTH", "MAX_TOTAL_TOKENS",
                  "MAX_BATCH_PREFILL_TOKENS", "QUANTIZE", "HF_TOKEN"),
                 ("huggingface-pytorch-tgi-inference",)),
    LlmContainer("djl-lmi", "LMI (DJL Serving)", "OPTION_TENSOR_PARALLEL_DEGREE",
                 ("HF_MODEL_ID", "OPTION_MODEL_ID", "OPTION_TENSOR_PARALLEL_DEGREE", "OPTION_ROLLING_BATCH",
                  "OPTION_MAX_ROLLING_BATCH_SIZE", "OPTION_MAX_MODEL_LEN", "OPTION_DTYPE", "HF_TOKEN"),
                 ("djl-inference",)),
    LlmContainer("vllm", "vLLM", "SM_VLLM_TENSOR_PARALLEL_SIZE",
                 ("SM_VLLM_MODEL", "SM_VLLM_TENSOR_PARALLEL_SIZE", "SM_VLLM_MAX_MODEL_LEN",
                  "SM_VLLM_GPU_MEMORY_UTILIZATION", "HF_TOKEN"),
                 ("vllm",)),
    LlmContainer("sglang", "SGLang", "SM_SGLANG_TP_SIZE",
                 ("SM_SGLANG_MODEL_PATH", "SM_SGLANG_TP_SIZE", "SM_SGLANG_CONTEXT_LENGTH", "HF_TOKEN"),
                 ("sglang",)),
    LlmContainer("huggingface-tei", "Hugging Face TEI", None,
                 ("HF_MODEL_ID", "MAX_BATCH_TOKENS", "MAX_CLIENT_BATCH_SIZE", "HF_TOKEN"), ("tei",)),
    LlmContainer("huggingface-tei-cpu", "Hugging Face TEI (CPU)", None,
                 ("HF_MODEL_ID", "MAX_BATCH_TOKENS", "MAX_CLIENT_BATCH_SIZE", "HF_TOKEN"), ("tei-cpu",)),
)}

_ECR_REPOSITORY = re.compile(r"^\d{12}\.dkr\.ecr[.-][^/]+/(?P<repo>[a-z0-9._/-]+?)(?::[^@]+|@sha256:[a-f0-9]+)?$")


def container_of_framework(framework: str | None) -> LlmContainer | None:
    """The LLM container of a prebuilt catalogue framework (``"vllm"``), or None."""
    return LLM_CONTAINERS.get(framework or "")


def container_of_uri(uri: str) -> LlmContainer | None:
    """The LLM container an ECR image URI names (by repository), or None."""
    m = _ECR_REPOSITORY.match(uri)
    return container_of_repository(m["repo"]) if m is not None else None


def container_of_repository(repository: str) -> LlmContainer | None:
    """The LLM container of an image repository (its last path part), or None."""
    repo = repository.rsplit("/", 1)[-1]
    return next((c for c in LLM_CONTAINERS.values() if repo in c.repositories), None)


def container_of_image_text(image: str) -> LlmContainer | None:
    """The LLM container of an image URI whose registry may be unknown (``*.dkr.ecr.*/REPO:TAG`` as the readiness
    rules see a URI built from intrinsics), or None."""
    path = image.split("/", 1)[1] if "/" in image else ""
    return container_of_repository(path.split("@", 1)[0].split(":", 1)[0]) if path else None


@dataclass(frozen=True, slots=True)
class AcceleratorMemory:
    """The accelerators of one instance type: how many devices (GPUs; Inferentia/Trainium chips) and the memory of
    each in GiB, with the page the row comes from."""

    devices: int
    gib_per_device: float
    source: str

    @property
    def total_gib(self) -> float:
        return self.devices * self.gib_per_device


_GPU = "https://docs.aws.amazon.com/ec2/latest/instancetypes/ac.html"  # EC2: accelerated computing specifications
_P5 = "https://aws.amazon.com/ec2/instance-types/p5/"
_INF2 = "https://aws.amazon.com/ec2/instance-types/inf2/"
_TRN = "https://aws.amazon.com/ec2/instance-types/trn1/"


def _rows(sizes: tuple[str, ...], family: str, devices: int, gib: float, source: str) -> dict[str, AcceleratorMemory]:
    return {f"ml.{family}.{size}": AcceleratorMemory(devices, gib, source) for size in sizes}


#: Accelerator memory per SageMaker instance type, by row with its source (hand-entered from the pages named; an
#: instance type not listed is not checked). NVIDIA: T4 16 GiB, A10G 24, L4 24, L40S 48, V100 16, K80 12, A100 40/80,
#: H100 80, H200 141 (EC2 "Accelerated computing instance specifications", GPU memory column). Inferentia2 and
#: Trainium chips: 32 GiB each (EC2 Inf2 and Trn1 product pages).
ACCELERATOR_MEMORY: Mapping[str, AcceleratorMemory] = {
    **_rows(("xlarge", "2xlarge", "4xlarge", "8xlarge", "16xlarge"), "g4dn", 1, 16, _GPU),
    **_rows(("12xlarge",), "g4dn", 4, 16, _GPU),
    **_rows(("xlarge", "2xlarge", "4xlarge", "8xlarge", "16xlarge"), "g5", 1, 24, _GPU),
    **_rows(("12xlarge", "24xlarge"), "g5", 4, 24, _GPU),
    **_rows(("48xlarge",), "g5", 8, 24, _GPU),
    **_rows(("xlarge", "2xlarge", "4xlarge", "8xlarge", "16xlarge"), "g6", 1, 24, _GPU),
    **_rows(("12xlarge", "24xlarge"), "g6", 4, 24, _GPU),
    **_rows(("48xlarge",), "g6", 8, 24, _GPU),
    **_rows(("xlarge", "2xlarge", "4xlarge", "8xlarge", "16xlarge"), "g6e", 1, 48, _GPU),
    **_rows(("12xlarge", "24xlarge"), "g6e", 4, 48, _GPU),
    **_rows(("48xlarge",), "g6e", 8, 48, _GPU),
    **_rows(("2xlarge",), "p3", 1, 16, _GPU),
    **_rows(("8xlarge",), "p3", 4, 16, _GPU),
    **_rows(("16xlarge",), "p3", 8, 16, _GPU),
    **_rows(("xlarge",), "p2", 1, 12, _GPU),
    **_rows(("8xlarge",), "p2", 8, 12, _GPU),
    **_rows(("16xlarge",), "p2", 16, 12, _GPU),
    **_rows(("24xlarge",), "p4d", 8, 40, _GPU),
    **_rows(("24xlarge",), "p4de", 8, 80, _GPU),
    **_rows(("48xlarge",), "p5", 8, 80, _P5),
    **_rows(("4xlarge",), "p5", 1, 80, _P5),
    **_rows(("48xlarge",), "p5e", 8, 141, _P5),
    **_rows(("48xlarge",), "p5en", 8, 141, _P5),
    **_rows(("xlarge", "8xlarge"), "inf2", 1, 32, _INF2),
    **_rows(("24xlarge",), "inf2", 6, 32, _INF2),
    **_rows(("48xlarge",), "inf2", 12, 32, _INF2),
    **_rows(("2xlarge",), "trn1", 1, 32, _TRN),
    **_rows(("32xlarge",), "trn1", 16, 32, _TRN),
    **_rows(("32xlarge",), "trn1n", 16, 32, _TRN),
}


def memory_of(instance_type: str) -> AcceleratorMemory | None:
    """The accelerator memory of ``instance_type``, or None when the table does not list it."""
    return ACCELERATOR_MEMORY.get(instance_type)
