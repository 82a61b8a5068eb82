"""``python -m cdk_sagemaker``: the same console as the ``cdk-sagemaker`` command."""

from cdk_sagemaker.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
