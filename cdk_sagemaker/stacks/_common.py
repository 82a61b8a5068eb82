"""Shared pieces of the example stacks."""

from __future__ import annotations

from importlib import resources

from cdk_sagemaker.constructs.images import ContainerImage
from cdk_sagemaker.constructs.model import ModelData

__all__ = ["example_image", "example_model_data", "example_preprocess_code"]


def example_model_data() -> ModelData:
    """The small XGBoost model shipped with the package (``stacks/assets/xgboost-model.tar.gz``), as a file asset."""
    return ModelData.from_asset(str(resources.files("cdk_sagemaker.stacks") / "assets" / "xgboost-model.tar.gz"))


def example_preprocess_code() -> ModelData:
    """The pipeline example's preprocessing script as model data: ``code/preprocess.py`` in
    ``stacks/assets/preprocess.tar.gz`` (built from ``stacks/assets/preprocess/`` by
    ``tools/build_preprocess_asset.py``)."""
    return ModelData.from_asset(str(resources.files("cdk_sagemaker.stacks") / "assets" / "preprocess.tar.gz"))


def example_image() -> ContainerImage:
    """SageMaker's prebuilt XGBoost 1.7-1 inference image, in whatever region the stack deploys to."""
    return ContainerImage.from_prebuilt("xgboost", "1.7-1")
