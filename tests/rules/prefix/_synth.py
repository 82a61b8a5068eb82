"""Synthesize the pre-fix templates of the issue-15 defects that no example stack shows, from the pristine pre-fix
checkout (kept so the templates can be made again; not a test module):

    cd /work/prefix && PYTHONPATH=/work/prefix python /path/to/tests/rules/prefix/_synth.py OUT_DIR

Each stack is the smallest user setup the pre-fix constructs accepted without a ValidationError and that shows the
defect; tests/rules/test_issue15_prefix.py lists the rule each must draw.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_applicationautoscaling as appscaling
from aws_cdk import aws_ec2 as ec2

from cdk_sagemaker.constructs.autoscaling import AutoScaling, ScheduledScaling
from cdk_sagemaker.constructs.images import ContainerImage
from cdk_sagemaker.constructs.model import Model, ModelData
from cdk_sagemaker.constructs.network import InferenceNetwork
from cdk_sagemaker.constructs.realtime import RealtimeEndpoint
from cdk_sagemaker.constructs.serverless import ServerlessEndpoint

DATA = "s3://example-models-bucket/models/model.tar.gz"


def imported_vpc(app: cdk.App) -> None:
    """Item 2: an imported VPC without a CIDR and endpoints=False: the model's security group gets no egress."""
    stack = cdk.Stack(app, "ImportedVpcNoCidr")
    vpc = ec2.Vpc.from_vpc_attributes(stack, "Vpc", vpc_id="vpc-0123456789abcdef0",
                                      availability_zones=["us-east-1a", "us-east-1b"],
                                      isolated_subnet_ids=["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"])
    network = InferenceNetwork(stack, "Network", vpc=vpc, endpoints=False)
    model = Model(stack, "Model", image=ContainerImage.from_prebuilt("xgboost", "1.7-1"),
                  model_data=ModelData.from_s3_uri(DATA), network=network)
    RealtimeEndpoint(stack, "Endpoint", model=model, instance_type="ml.m5.large", instance_count=2)


def gpu_image_on_cpu(app: cdk.App) -> None:
    """Item 12: a GPU-only prebuilt image (huggingface-llm) on a CPU instance and on a serverless endpoint."""
    stack = cdk.Stack(app, "GpuImageOnCpu")
    image = ContainerImage.from_prebuilt("huggingface-llm", "2.0")
    model = Model(stack, "Model", image=image, model_data=ModelData.from_s3_uri(DATA),
                  environment={"HF_MODEL_ID": "/opt/ml/model"})
    RealtimeEndpoint(stack, "Endpoint", model=model, instance_type="ml.m5.xlarge")
    serverless_model = Model(stack, "ServerlessModel", image=image, model_data=ModelData.from_s3_uri(DATA),
                             network_isolation=False,
                             environment={"HF_MODEL_ID": "/opt/ml/model"})
    ServerlessEndpoint(stack, "Serverless", model=serverless_model)


def hub_download_isolated(app: cdk.App) -> None:
    """Item 12: LMI (OPTION_MODEL_ID) and vLLM (SM_VLLM_MODEL) read the Hub model id from other variables than
    HF_MODEL_ID; under network isolation (the default) the pre-fix check did not see them."""
    stack = cdk.Stack(app, "HubDownloadIsolated")
    lmi = Model(stack, "Lmi", image=ContainerImage.from_prebuilt("djl-lmi", "0.29.0"),
                environment={"OPTION_MODEL_ID": "meta-llama/Meta-Llama-3-8B-Instruct"})
    RealtimeEndpoint(stack, "LmiEndpoint", model=lmi, instance_type="ml.g5.2xlarge")
    vllm = Model(stack, "Vllm", image=ContainerImage.from_uri(
        "763104351884.dkr.ecr.us-east-1.amazonaws.com/vllm:0.8.5-gpu-py312-cu124-ubuntu22.04-sagemaker"),
                 environment={"SM_VLLM_MODEL": "meta-llama/Meta-Llama-3-8B-Instruct"})
    RealtimeEndpoint(stack, "VllmEndpoint", model=vllm, instance_type="ml.g5.2xlarge")


def bad_scaling_schedules(app: cdk.App) -> None:
    """Item 12: ScheduledScaling.cron(hour="25") and rate(1 days) were accepted by the pre-fix AutoScaling."""
    stack = cdk.Stack(app, "BadScalingSchedules")
    model = Model(stack, "Model", image=ContainerImage.from_prebuilt("xgboost", "1.7-1"),
                  model_data=ModelData.from_s3_uri(DATA))
    RealtimeEndpoint(stack, "Endpoint", model=model, instance_type="ml.m5.large", instance_count=2,
                     auto_scaling=AutoScaling(min_capacity=2, max_capacity=4, max_rps_per_instance=20, schedules=[
                         ScheduledScaling.cron("late-peak", hour="25", min_capacity=3),
                         ScheduledScaling(name="daily", schedule=appscaling.Schedule.expression("rate(1 days)"),
                                          min_capacity=2),
                     ]))


def key_on_instance_storage(app: cdk.App) -> None:
    """Items 8 (where the service forbids a key): the pre-fix NVMe table missed the p6 and dl1 families, so their
    endpoint configs got a KmsKeyId, which CreateEndpointConfig rejects."""
    stack = cdk.Stack(app, "KeyOnInstanceStorage")
    model = Model(stack, "Model", image=ContainerImage.from_prebuilt("xgboost", "1.7-1"),
                  model_data=ModelData.from_s3_uri(DATA))
    RealtimeEndpoint(stack, "Endpoint", model=model, instance_type="ml.p6-b200.48xlarge")


def main(out: Path) -> None:
    makers = [imported_vpc, gpu_image_on_cpu, hub_download_isolated, bad_scaling_schedules, key_on_instance_storage]
    for make in makers:
        app = cdk.App()
        try:
            make(app)
            assembly = app.synth()
        except Exception as e:  # report which setups the pre-fix code rejected and go on
            print(f"{make.__name__}: rejected by the pre-fix code: {type(e).__name__}: {e}")
            continue
        for stack in assembly.stacks:
            path = out / f"{stack.stack_name}.template.json"
            path.write_text(json.dumps(stack.template, indent=1, sort_keys=True) + "\n", encoding="utf-8")
            print(f"{make.__name__}: wrote {path}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
