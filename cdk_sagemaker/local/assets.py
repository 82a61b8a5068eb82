"""Publish a stack's file assets to the local AWS as the CDK CLI does: bootstrap version, bucket, upload."""

from __future__ import annotations

import io
import zipfile

from botocore.exceptions import ClientError

from cdk_sagemaker.local.assembly import FileAsset, StackArtifact
from cdk_sagemaker.local.errors import LocalDeployError
from cdk_sagemaker.local.server import Clients

BOOTSTRAP_VERSION = "30"
DEFAULT_BOOTSTRAP_PARAMETER = "/cdk-bootstrap/hnb659fds/version"


class AssetPublisher:
    """Puts what ``cdk bootstrap`` and ``cdk-assets`` would into the local AWS, once per region and bucket."""

    def __init__(self, clients: Clients) -> None:
        self._clients = clients
        self._done: set[tuple[str, str]] = set()
        self._account: str | None = None

    def publish(self, artifact: StackArtifact, region: str) -> list[str]:
        """Write the bootstrap version parameter, upload every file asset of ``artifact``; return the Docker image
        assets, which cannot be built here, as ``"<name> (<repository>:<tag>)"``."""
        self._bootstrap(region, artifact.bootstrap_parameter or DEFAULT_BOOTSTRAP_PARAMETER)
        for asset in artifact.files:
            self._upload(asset, region)
        return [f"{image.display_name} ({self.substitute(image.repository, region)}:{image.tag})"
                for image in artifact.images]

    def account_id(self) -> str:
        """The local AWS's account id."""
        if self._account is None:
            self._account = str(self._clients.client("sts").get_caller_identity()["Account"])
        return self._account

    def substitute(self, text: str, region: str) -> str:
        """``text`` with the asset manifest's ``${AWS::AccountId}``, ``${AWS::Region}``, ``${AWS::Partition}``."""
        return (text.replace("${AWS::AccountId}", self.account_id())
                .replace("${AWS::Region}", region).replace("${AWS::Partition}", "aws"))

    def _bootstrap(self, region: str, parameter: str) -> None:
        if (region, parameter) in self._done:
            return
        ssm = self._clients.client("ssm", region)
        ssm.put_parameter(Name=parameter, Value=BOOTSTRAP_VERSION, Type="String", Overwrite=True)
        self._done.add((region, parameter))

    def _upload(self, asset: FileAsset, region: str) -> None:
        bucket = self.substitute(asset.bucket, region)
        s3 = self._clients.client("s3", region)
        if (region, bucket) not in self._done:
            try:
                where = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
                s3.create_bucket(Bucket=bucket, **where)
            except ClientError as error:
                if error.response["Error"]["Code"] not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                    raise
            self._done.add((region, bucket))
        if not asset.path.exists():
            raise LocalDeployError(f"asset {asset.display_name}: {asset.path} does not exist in the assembly")
        s3.put_object(Bucket=bucket, Key=self.substitute(asset.key, region), Body=package(asset))


def package(asset: FileAsset) -> bytes:
    """The bytes to upload: the file itself, or a directory zipped (sorted, fixed timestamps) as the CDK does."""
    if asset.path.is_file():
        return asset.path.read_bytes()
    if asset.packaging != "zip":
        raise LocalDeployError(
            f"asset {asset.display_name}: {asset.path} is a directory but packaging is {asset.packaging!r}"
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(asset.path.rglob("*")):
            if path.is_file():
                info = zipfile.ZipInfo(path.relative_to(asset.path).as_posix(), date_time=(1980, 1, 1, 0, 0, 0))
                info.external_attr = 0o644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, path.read_bytes())
    return buffer.getvalue()
