"""Readiness rules 93xx: images and containers of SageMaker models (isolation, accelerators, code)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from cdk_sagemaker._containers import HUB_MODEL_VARIABLES, PROGRAM, SUBMIT_DIRECTORY, hub_downloads, program_problem
from cdk_sagemaker.rules._facts import accelerator_of_image, is_gpu, is_neuron
from cdk_sagemaker.rules._rule import TemplateRule
from cdk_sagemaker.rules._template import Template, containers, find_string, model_uses, props, resource, resources

_TAGS = ["sagemaker", "cdk-sagemaker", "containers"]


class HubDownloadUnderNetworkIsolation(TemplateRule, CloudFormationLintRule):
    """With ``EnableNetworkIsolation`` the container has no network access at all, so a serving container told to
    fetch its model from the Hugging Face Hub (``HF_MODEL_ID`` for the Hugging Face inference toolkit, TGI and TEI;
    ``OPTION_MODEL_ID`` for DJL/LMI; ``SM_VLLM_MODEL`` for the vLLM DLC; ``SM_SGLANG_MODEL_PATH`` for the SGLang DLC)
    fails to start and the endpoint never becomes InService. Source: "Run training and inference containers in
    internet-free mode", https://docs.aws.amazon.com/sagemaker/latest/dg/mkt-algo-model-internet-free.html."""

    id = "E9301"
    shortdesc = "Hugging Face Hub download under network isolation"
    description = "A network-isolated container cannot download its model from the Hugging Face Hub"
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/dg/mkt-algo-model-internet-free.html"
    tags = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        for name, model in resources(t, "AWS::SageMaker::Model"):
            if props(model).get("EnableNetworkIsolation") not in (True, "true"):
                continue
            for c in containers(name, model):
                environment = {k: v for k, v in c.environment.items() if isinstance(v, str)}
                for var, value in hub_downloads(environment):
                    yield RuleMatch(
                        [*c.path, "Environment", var],
                        f"Model {name}: Environment {var}={value!r} makes the container "
                        f"({HUB_MODEL_VARIABLES[var]}) download the model when it starts (from the Hugging Face Hub "
                        "or S3), which EnableNetworkIsolation blocks; package the model as ModelDataUrl (or "
                        "ModelDataSource) and point the variable at /opt/ml/model, or turn isolation off")


class AcceleratorImageOnWrongInstance(TemplateRule, CloudFormationLintRule):
    """Images built only for NVIDIA GPUs (Hugging Face TGI / ``huggingface-llm``, DJL LMI, vLLM, SGLang, ``-gpu-``
    and CUDA tags) or only for AWS Neuron (``-neuronx`` images) cannot start on a CPU instance, a GPU image cannot
    start on Inferentia/Trainium and a Neuron image cannot start on a GPU: the container fails its health check and
    the endpoint ends CREATE_FAILED. Serverless variants (no accelerator) are E9605. Source: "Available Deep Learning
    Containers Images", https://github.com/aws/deep-learning-containers/blob/master/available_images.md, and
    "Supported instance types for real-time inference",
    https://docs.aws.amazon.com/sagemaker/latest/dg/instance-types-az.html."""

    id = "E9302"
    shortdesc = "GPU or Neuron-only image on an instance without that accelerator"
    description = "An image built for one accelerator needs an instance type that has it"
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/dg/instance-types-az.html"
    tags = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        for config_id, model_id, use in model_uses(t):
            itype = use.variant.get("InstanceType")
            if not isinstance(itype, str):
                continue
            has = "gpu" if is_gpu(itype) else "neuron" if is_neuron(itype) else None
            for c in containers(model_id, resource(t, model_id) or {}):
                image = find_string(t, c.definition.get("Image"))
                needs = accelerator_of_image(image)
                if needs is not None and needs != has:
                    yield RuleMatch(use.path, (
                        f"EndpointConfig {config_id}: model {model_id} runs image {image} built for "
                        f"{needs.upper()} instances on {itype}, which has {'no accelerator' if has is None else has}; "
                        f"use {'an ml.g*/ml.p*' if needs == 'gpu' else 'an ml.inf2/ml.trn1'} instance type or the "
                        "image's CPU build"))


class ProgramWithoutCode(TemplateRule, CloudFormationLintRule):
    """The SageMaker framework containers (scikit-learn, PyTorch, XGBoost script mode, ...) load the script named by
    ``SAGEMAKER_PROGRAM`` from ``SAGEMAKER_SUBMIT_DIRECTORY`` or from the ``code/`` folder of the model data. A
    container that names a program but has neither model data nor a submit directory has nothing to run: it fails its
    ping and the endpoint never starts. So does one whose submit directory is an ``s3://`` archive under network
    isolation (the container cannot download it) or a path under ``/opt/ml/model`` with no model data. Source: "Use
    the SageMaker AI inference toolkit / Adapting your own inference container" (SAGEMAKER_PROGRAM and
    SAGEMAKER_SUBMIT_DIRECTORY),
    https://docs.aws.amazon.com/sagemaker/latest/dg/adapt-inference-container.html."""

    id = "E9303"
    shortdesc = "SAGEMAKER_PROGRAM with no code to load it from"
    description = "A container with SAGEMAKER_PROGRAM needs ModelDataUrl/ModelDataSource or SAGEMAKER_SUBMIT_DIRECTORY"
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/dg/adapt-inference-container.html"
    tags = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        for name, model in resources(t, "AWS::SageMaker::Model"):
            isolated = props(model).get("EnableNetworkIsolation") in (True, "true")
            for c in containers(name, model):
                env = {k: v for k, v in c.environment.items() if isinstance(v, str)}
                if PROGRAM not in env or (SUBMIT_DIRECTORY in c.environment and SUBMIT_DIRECTORY not in env):
                    continue  # no program, or a submit directory from an intrinsic (unknown here)
                d = c.definition
                has_data = d.get("ModelDataUrl") is not None or isinstance(d.get("ModelDataSource"), Mapping) or \
                    d.get("ModelPackageName") is not None
                # The same check Model runs at synth (cdk_sagemaker._containers), so both agree.
                problem = program_problem(env, has_model_data=has_data, network_isolation=isolated)
                if problem is not None:
                    yield RuleMatch([*c.path, "Environment", PROGRAM], f"Model {name}: container {problem}")
