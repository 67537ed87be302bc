"""The dataset store: where versions' packs and manifests live for every host: a folder on the API's disk, or an S3
bucket whose objects workers download with short-lived presigned URLs (the API passes none of their bytes)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Protocol

from qlp_core.settings import Settings, StorageSettings


class StoreError(RuntimeError):
    """The store could not be read or written."""


class ObjectStore(Protocol):
    def exists(self, key: str) -> bool: ...
    def put_file(self, key: str, path: Path) -> None: ...
    def put_bytes(self, key: str, data: bytes) -> None: ...
    def get_bytes(self, key: str) -> bytes | None: ...
    def presigned_url(self, key: str) -> str | None: ...
    def presigned_put(self, key: str) -> str | None: ...
    def local_path(self, key: str) -> Path | None: ...


class FolderStore:
    """Objects as files below ``root`` (written by rename: a reader never sees half an object)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root.resolve()):
            raise StoreError(f"store key {key!r} leaves the store")
        return path

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def put_file(self, key: str, path: Path) -> None:
        """Store the file at ``path`` (moved when it lies on the store's file system, else copied)."""
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.chmod(path, 0o444)
            os.replace(path, target)
            return
        except OSError:
            pass
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".put-")
        os.close(fd)
        try:
            shutil.copyfile(path, tmp)
            os.chmod(tmp, 0o444)
            os.replace(tmp, target)
        finally:
            Path(tmp).unlink(missing_ok=True)

    def put_bytes(self, key: str, data: bytes) -> None:
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".put-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o444)
        os.replace(tmp, target)

    def get_bytes(self, key: str) -> bytes | None:
        path = self._path(key)
        return path.read_bytes() if path.is_file() else None

    def presigned_url(self, key: str) -> str | None:
        return None  # workers on other hosts get it through the API's trainer protocol

    def presigned_put(self, key: str) -> str | None:
        return None

    def local_path(self, key: str) -> Path | None:
        path = self._path(key)
        return path if path.is_file() else None


class S3Store:
    """Objects in ``bucket`` below ``prefix``; presigned URLs are signed for the endpoint workers reach."""

    def __init__(self, st: StorageSettings, bucket: str, prefix: str) -> None:
        import boto3
        from botocore.config import Config

        if st.s3_access_key_id is None or st.s3_secret_access_key is None:
            raise StoreError("an s3:// dataset store needs QLP_STORAGE__S3_ACCESS_KEY_ID and "
                             "QLP_STORAGE__S3_SECRET_ACCESS_KEY")
        self.bucket, self.prefix, self.expiry = bucket, prefix, st.presign_expiry_s
        kwargs: dict[str, Any] = {
            "aws_access_key_id": st.s3_access_key_id.get_secret_value(),
            "aws_secret_access_key": st.s3_secret_access_key.get_secret_value(),
            "region_name": st.s3_region,
            "config": Config(signature_version="s3v4", s3={"addressing_style": "path"},
                             retries={"max_attempts": 5, "mode": "standard"}),
        }
        self.client = boto3.client("s3", endpoint_url=st.s3_endpoint_url, **kwargs)
        self.signer = boto3.client("s3", endpoint_url=st.s3_public_endpoint_url or st.s3_endpoint_url, **kwargs)

    def _key(self, key: str) -> str:
        return f"{self.prefix}{key}"

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(key))
            return True
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise StoreError(f"the dataset store could not be read: {exc}") from exc

    def put_file(self, key: str, path: Path) -> None:
        from boto3.exceptions import S3UploadFailedError
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.upload_file(str(path), self.bucket, self._key(key))
        except (S3UploadFailedError, ClientError, BotoCoreError) as exc:
            raise StoreError(f"{key} could not be written: {exc}") from exc

    def put_bytes(self, key: str, data: bytes) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data)
        except (ClientError, BotoCoreError) as exc:
            raise StoreError(f"{key} could not be written: {exc}") from exc

    def get_bytes(self, key: str) -> bytes | None:
        from botocore.exceptions import ClientError

        try:
            body: bytes = self.client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"].read()
            return body
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise StoreError(f"the dataset store could not be read: {exc}") from exc

    def presigned_url(self, key: str) -> str:
        url: str = self.signer.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": self._key(key)}, ExpiresIn=self.expiry)
        return url

    def presigned_put(self, key: str) -> str:
        url: str = self.signer.generate_presigned_url(
            "put_object", Params={"Bucket": self.bucket, "Key": self._key(key), "ContentType": "application/x-tar"},
            ExpiresIn=self.expiry)
        return url

    def local_path(self, key: str) -> Path | None:
        return None


_stores: dict[tuple[Any, ...], ObjectStore] = {}


def open_store(settings: Settings) -> ObjectStore:
    """The configured store (one client per configuration and process)."""
    st = settings.storage
    location = st.dataset_store
    assert location is not None
    secret = st.s3_secret_access_key.get_secret_value() if st.s3_secret_access_key else None
    key = (location, st.s3_endpoint_url, st.s3_public_endpoint_url, st.s3_access_key_id, secret, st.s3_region,
           st.presign_expiry_s)
    store = _stores.get(key)
    if store is None:
        if location.startswith("s3://"):
            bucket, _, prefix = location[len("s3://"):].partition("/")
            if not bucket:
                raise StoreError(f"dataset store {location!r} names no bucket")
            store = S3Store(st, bucket, prefix.strip("/") + "/" if prefix.strip("/") else "")
        else:
            store = FolderStore(Path(location))
        _stores[key] = store
    return store
