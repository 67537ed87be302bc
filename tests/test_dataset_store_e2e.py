"""The object store serves versions to many hosts: with an S3-compatible store (SeaweedFS on loopback) a worker host
in its own network namespace, with an empty cache, runs a job on a version it has never seen, fetching the packs
straight from the store with presigned URLs; the API passes none of the version's bytes (the relays in front of the
API and the store count them). The second identical job on that host is a feature-cache hit with equal metrics. A
factor evaluated on one host keeps its ranks in the store; another host compares with them."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests import netns
from tests.helpers import REDIS_URL, ROOT, RunningPlatform, platform_env, port_open, service_missing
from tests.services import s3_server
from tests.test_distributed import Cluster

pytestmark = [pytest.mark.e2e, pytest.mark.redis]
DEMO_YAML = ROOT / "trainers" / "configs" / "demo_lgb_alpha158.yaml"


@pytest.fixture(scope="module")
def s3_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Cluster, Any]]:
    why = netns.available()
    if why is not None:
        service_missing(f"network namespaces for a worker host ({why})")
    if not port_open("127.0.0.1", 6379):
        service_missing("Redis at 127.0.0.1:6379")
    root = tmp_path_factory.mktemp("s3-store")
    with s3_server(root / "s3", bucket="datasets") as s3:
        home = root / "api"
        hosts = netns.Hosts(hidden=[home])
        s3_port = urlsplit(s3.endpoint).port
        assert s3_port is not None
        queue = f"q{uuid.uuid4().hex[:10]}"
        env = platform_env(
            home, QLP_BROKER__URL=REDIS_URL + "/13", QLP_BROKER__DEFAULT_QUEUE=queue, QLP_SERVER__WORKERS="0",
            QLP_SERVER__ALLOWED_HOSTS=json.dumps(["127.0.0.1", "localhost", hosts.gateway]),
            QLP_STORAGE__DATASET_STORE="s3://datasets/versions", QLP_STORAGE__S3_ENDPOINT_URL=s3.endpoint,
            QLP_STORAGE__S3_PUBLIC_ENDPOINT_URL=f"http://{hosts.gateway}:{s3_port}",
            QLP_STORAGE__S3_ACCESS_KEY_ID=s3.access_key, QLP_STORAGE__S3_SECRET_ACCESS_KEY=s3.secret_key,
            # the packs are small here: several per version, fetched in parallel
            QLP_STORAGE__PACK_BYTES=str(256 * 1024))
        hosts.forward(int(env["QLP_SERVER__PORT"]), 6379, s3_port)
        api = RunningPlatform(home, env, root / "api.log")
        try:
            api.start()
        except BaseException:
            hosts.close()
            raise
        cluster = Cluster(api, REDIS_URL + "/13", queue, root, hosts)
        try:
            cluster.start_worker("far", concurrency=1)  # the job queue's only worker
            yield cluster, s3
        finally:
            cluster.stop()


def relay(cluster: Cluster, port: int) -> netns.Relay:
    assert cluster.hosts is not None
    return next(r for r in cluster.hosts.relays if r.port == port)


def test_a_host_fetches_a_new_version_from_the_store_not_the_api(s3_cluster: tuple[Cluster, Any]) -> None:
    cluster, s3 = s3_cluster
    api_relay = relay(cluster, cluster.api.port)
    s3_relay = relay(cluster, int(urlsplit(s3.endpoint).port or 0))
    ds = cluster.api.generate_dataset("faraway", n_instruments=60, years=3, seed=21)
    objects = s3.objects("versions/")
    packs = {k: v for k, v in objects.items() if k.startswith("versions/packs/")}
    assert f"versions/manifests/{ds['content_hash']}.json" in objects
    assert sum(packs.values()) == ds["stored_bytes"] == ds["size_bytes"] and len(packs) >= 2
    api0, s30 = api_relay.to_hosts, s3_relay.to_hosts

    first = cluster.submit(config_text=DEMO_YAML.read_text(), dataset_id=ds["id"], experiment_name="faraway")
    done = cluster.api.wait_job(first["id"], timeout=300)
    assert done["state"] == "succeeded", (done["error"], cluster.logs(first["id"])[-20:])
    api_bytes, s3_bytes = api_relay.to_hosts - api0, s3_relay.to_hosts - s30
    print(f"\nversion {ds['size_bytes']:,} B in {len(packs)} packs; to the worker host during the job: "
          f"{s3_bytes:,} B from the store, {api_bytes:,} B from the API (job, heartbeats, MLflow answers)")
    assert s3_bytes >= ds["size_bytes"]  # every pack came from the store ...
    assert api_bytes < ds["size_bytes"] / 4  # ... and the API sent far less than the version
    logs = cluster.logs(first["id"])
    [fetched] = [ln for ln in logs if ln.startswith("[worker] fetched dataset faraway@v1 from the store")]
    assert f"{len(packs)} packs (0 already on this host)" in fetched
    assert any("feature cache miss" in ln for ln in logs), [ln for ln in logs if "feature cache" in ln]

    api1, s31 = api_relay.to_hosts, s3_relay.to_hosts
    second = cluster.submit(config_text=DEMO_YAML.read_text(), dataset_id=ds["id"], experiment_name="faraway")
    again = cluster.api.wait_job(second["id"], timeout=300)
    assert again["state"] == "succeeded", again["error"]
    logs2 = cluster.logs(second["id"])
    assert any(ln.startswith("[qlp] feature cache hit") for ln in logs2)
    assert not any("fetched dataset" in ln for ln in logs2)  # the host's verified copy
    assert s3_relay.to_hosts == s31 and api_relay.to_hosts - api1 < ds["size_bytes"] / 4
    assert again["metrics"] == done["metrics"] and len(done["metrics"]) > 5  # exactly
    from mlflow.tracking import MlflowClient

    mlflow = MlflowClient(f"http://127.0.0.1:{cluster.api.env['QLP_MLFLOW__PORT']}/mlflow")
    tags = [mlflow.get_run(j["mlflow_run_id"]).data.tags for j in (done, again)]
    assert [t["qlp.feature_cache"] for t in tags] == ["miss", "hit"]
    assert tags[0]["qlp.feature_cache_key"] == tags[1]["qlp.feature_cache_key"]
    assert tags[0]["qlp.dataset_hash"] == ds["content_hash"]
    key = tags[0]["qlp.feature_cache_key"]
    assert any(ln.startswith(f"[worker] published feature cache entry {key[:12]} to the store") for ln in logs)
    assert f"versions/features/{key}.tar" in s3.objects("versions/features/")

    # another host: the dataset and the published features come from the store; no feature is computed there
    cluster.start_worker("near", concurrency=1, queues=[cluster.queue + "-near"])
    third = cluster.submit(config_text=DEMO_YAML.read_text(), dataset_id=ds["id"], experiment_name="faraway",
                           queue=cluster.queue + "-near")
    other = cluster.api.wait_job(third["id"], timeout=300)
    assert other["state"] == "succeeded" and other["worker"] == "near@near-host", other["error"]
    logs3 = cluster.logs(third["id"])
    assert any(ln.startswith(f"[worker] fetched feature cache entry {key[:12]} from the store") for ln in logs3)
    assert any(ln.startswith(f"[qlp] feature cache hit {key[:12]}") for ln in logs3), logs3
    assert other["metrics"] == done["metrics"]


def _evaluate(cluster: Cluster, factor_id: int, ds: dict[str, Any], queue: str | None = None) -> dict[str, Any]:
    with cluster.api.client() as c:
        r = c.post(f"/api/factors/{factor_id}/evaluate",
                   json={"dataset_id": ds["id"], "market": "demo", "horizons": [1], "queue": queue})
        assert r.status_code == 202, r.text
        job = cluster.api.wait_job(r.json()["id"], timeout=300)
        assert job["state"] == "succeeded", (job["error"], cluster.logs(job["id"])[-20:])
        [e] = [e for e in c.get(f"/api/factors/{factor_id}/evaluations").json() if e["job_id"] == job["id"]]
        return {"job": job, **c.get(f"/api/factors/evaluations/{e['id']}").json()}


def test_the_factor_library_is_shared_between_hosts(s3_cluster: tuple[Cluster, Any]) -> None:
    """A factor evaluated on one host keeps its ranks in the store; a host that never saw it fetches them for its
    own evaluation's redundancy check, and flags a monotone transform of it."""
    cluster, s3 = s3_cluster
    ds = cluster.api.generate_dataset("far-factors", n_instruments=30, years=2, seed=8)
    if "near" not in cluster.workers:
        cluster.start_worker("near", concurrency=1, queues=[cluster.queue + "-near"])
    signal = "$close / $vwap - 1"
    with cluster.api.client() as c:
        a = c.post("/api/factors", json={"name": "far_signal", "expression": signal}).json()
        b = c.post("/api/factors", json={"name": "near_cubed", "expression": f"Power({signal}, 3) * 1000"}).json()
    first = _evaluate(cluster, a["id"], ds)
    assert first["job"]["worker"] == "far@far-host" and first["summary"]["redundancy"] == []
    kept = f"versions/factor-ranks/{ds['content_hash']}/f{a['id']}-j{first['job']['id']}.tar"
    assert kept in s3.objects("versions/factor-ranks/"), s3.objects("versions/")
    second = _evaluate(cluster, b["id"], ds, queue=cluster.queue + "-near")
    assert second["job"]["worker"] == "near@near-host"
    logs = cluster.logs(second["job"]["id"])
    assert any(ln.startswith("[worker] factor library on this dataset: 1 factors, 1 fetched from the store")
               for ln in logs), [ln for ln in logs if "library" in ln]
    [top] = second["summary"]["redundancy"]
    assert top["factor"] == "far_signal" and top["corr"] > 0.95 and top["redundant"], top


def test_presigned_urls_expire_and_name_one_object(s3_cluster: tuple[Cluster, Any], tmp_path: Path) -> None:
    """What the worker gets is a URL per object, signed for the store as the hosts reach it, with an expiry; the
    store refuses a URL whose object was swapped."""
    import httpx

    cluster, _ = s3_cluster
    with cluster.api.client() as c:
        [ds] = [d for d in c.get("/api/data/datasets").json() if d["name"] == "faraway"]
    token = (cluster.api.home / "trainer_token").read_text().strip()
    where = httpx.get(f"{cluster.api.url}/api/internal/datasets/{ds['id']}/locations",
                      headers={"Authorization": f"Bearer {token}"}).json()
    assert cluster.hosts is not None
    for url in [where["manifest"], *where["packs"].values()]:
        parts = urlsplit(url)
        assert parts.netloc.startswith(cluster.hosts.gateway) and "X-Amz-Expires=900" in parts.query
        assert "X-Amz-Signature=" in parts.query
    # the signature covers the key: the manifest's URL does not open a pack
    some_pack = next(iter(where["packs"]))
    swapped = where["manifest"].replace(f"manifests/{ds['content_hash']}.json", f"packs/{some_pack}")
    local = swapped.replace(cluster.hosts.gateway, "127.0.0.1")
    r = httpx.get(local, headers={"Host": urlsplit(swapped).netloc})
    assert r.status_code == 403, r.status_code
    ok = httpx.get(where["manifest"].replace(cluster.hosts.gateway, "127.0.0.1"),
                   headers={"Host": urlsplit(where["manifest"]).netloc})
    assert ok.status_code == 200 and json.loads(ok.content)["content_hash"] == ds["content_hash"]
