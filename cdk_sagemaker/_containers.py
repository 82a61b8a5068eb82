"""Internal: what inference containers read from their environment at start-up. One table, used by ``Model``'s
validation and by the deploy-readiness rules (``cdk_sagemaker.rules``), so that both agree.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["HUB_MODEL_VARIABLES", "PROGRAM", "SUBMIT_DIRECTORY", "hub_downloads", "is_local_path", "program_problem"]

#: Variables with which the large-model and Hugging Face containers name a model to download when they start, by
#: container. A value that is an absolute path (``/opt/ml/model``) loads the model data SageMaker downloaded
#: instead; anything else (a Hub model id, an ``s3://`` URI) is fetched over the network by the container itself,
#: which network isolation blocks ("the container can't make any outbound network calls", SageMaker developer
#: guide, "Network Isolation").
HUB_MODEL_VARIABLES: Mapping[str, str] = {
    # Hugging Face TGI (huggingface-llm), the Hugging Face inference toolkit, TEI: HF_MODEL_ID (SageMaker developer
    # guide, "Hugging Face on SageMaker"; TGI's SageMaker entrypoint maps it to MODEL_ID).
    "HF_MODEL_ID": "Hugging Face TGI / TEI / inference toolkit, LMI",
    "MODEL_ID": "Hugging Face TGI / TEI (launcher variable)",
    # LMI (DJL Serving): option.model_id, also as the environment variable OPTION_MODEL_ID; a Hub id or an s3:// URI
    # the container downloads (LMI user guide, "Container and Model configurations").
    "OPTION_MODEL_ID": "LMI / DJL Serving",
    # vLLM and SGLang deep-learning containers: every SM_VLLM_<ARG> / SM_SGLANG_<ARG> becomes --<arg> of the server
    # (the containers' sagemaker_entrypoint.sh); --model and --model-path name what to load.
    "SM_VLLM_MODEL": "vLLM",
    "SM_SGLANG_MODEL_PATH": "SGLang",
}

#: The script a SageMaker framework container (scikit-learn, PyTorch, TensorFlow, MXNet, XGBoost script mode,
#: Hugging Face) runs for inference, and where it loads it from: ``SAGEMAKER_SUBMIT_DIRECTORY`` is a folder in the
#: container (``/opt/ml/model/code`` for code packed into the model data, as the SageMaker Python SDK packs it) or
#: an ``s3://`` URI of a ``sourcedir.tar.gz`` the container downloads when it starts (SageMaker inference toolkit,
#: ``sagemaker_inference.environment``; SageMaker Python SDK, "Use Your Own Inference Code").
PROGRAM = "SAGEMAKER_PROGRAM"
SUBMIT_DIRECTORY = "SAGEMAKER_SUBMIT_DIRECTORY"
_MODEL_DIR = "/opt/ml/model"


def is_local_path(value: str) -> bool:
    """True for a path inside the container (``/opt/ml/model``), which needs no download."""
    return value.startswith("/")


def hub_downloads(environment: Mapping[str, str]) -> list[tuple[str, str]]:
    """``(variable, value)`` pairs naming a model the container fetches over the network when it starts."""
    return [(name, environment[name]) for name in HUB_MODEL_VARIABLES
            if isinstance(environment.get(name), str) and environment[name] and not is_local_path(environment[name])]


def program_problem(environment: Mapping[str, str], *, has_model_data: bool, network_isolation: bool) -> str | None:
    """Why a container with ``SAGEMAKER_PROGRAM`` would have no script to run (its ping then fails and the endpoint
    never starts), or None. Values must be resolved strings."""
    program = environment.get(PROGRAM)
    if not program:
        return None
    submit = environment.get(SUBMIT_DIRECTORY)
    if submit is None:
        if not has_model_data:
            return (f"sets {PROGRAM}={program!r} but ships no code: give the container model_data holding "
                    f"code/{program} and {SUBMIT_DIRECTORY}='{_MODEL_DIR}/code', or {SUBMIT_DIRECTORY} naming "
                    "an s3:// sourcedir.tar.gz")
        return None
    if submit.startswith("s3://"):
        if network_isolation:
            return (f"loads {PROGRAM} from {SUBMIT_DIRECTORY}={submit!r}, which the container downloads when it "
                    "starts and network isolation blocks: pack the code into model_data (code/ folder) and set "
                    f"{SUBMIT_DIRECTORY}='{_MODEL_DIR}/code', or turn network isolation off")
        return None
    if submit.startswith(_MODEL_DIR) and not has_model_data:
        return (f"loads {PROGRAM} from {SUBMIT_DIRECTORY}={submit!r} under {_MODEL_DIR}, but the container has "
                "no model_data to put it there")
    return None
