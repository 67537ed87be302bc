"""Versions in the content-addressed store: an appended month stores only the new month, a host fetches a version
from the store once per pack and assembles it bit for bit, history is never rewritten, archived versions take no
new jobs, and a version's jobs are its lineage."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from fastapi.testclient import TestClient

from qlp_core.packs import Manifest, assemble, build
from qlp_core.protocol import DatasetRef
from qlp_core.qlib_data import content_hash
from tests.conftest import Api
from tests.test_ingest_job import OPTS, csv_of, log_of, market, play_worker, upload, versions  # noqa: F401
from trainers.datasets import local_copy
from trainers.ingest import bars_from_frame, read_qlib_folder, write_qlib


def split(frame: Any, days: int = 21) -> tuple[Any, Any, str]:
    """The frame before its last ``days`` trading days, and those days."""
    cut = sorted(frame["date"].unique())[-days]
    return frame[frame["date"] < cut], frame[frame["date"] >= cut], cut


def store_bytes(api: Api) -> int:
    root = Path(api.settings.storage.dataset_store or "")
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and "packs" in p.parts)


def trainer_for(api: Api) -> Any:
    from trainers.api_client import TrainerAPI

    trainer = TrainerAPI("http://testserver", "unused")
    trainer.client.close()
    trainer.client = TestClient(api.client.app, base_url="http://testserver", headers=api.trainer)
    return trainer


def ref(ds: dict[str, Any]) -> DatasetRef:
    return DatasetRef(id=ds["id"], name=ds["name"], version=ds["version"], path="", hash=ds["content_hash"])


# ----- the manifest alone -----------------------------------------------------------------------------------------
def test_a_grown_folder_stores_only_its_tails(market: dict[str, Any], tmp_path: Path) -> None:  # noqa: F811
    head, _, _ = split(market["frame"])
    old, new = tmp_path / "old", tmp_path / "new"
    write_qlib(bars_from_frame(head, OPTS), old, market="demo")
    write_qlib(read_qlib_folder(market["gen"]), new, market="demo")
    first = build(old, content_hash(old), tmp_path / "p1")
    second = build(new, content_hash(new), tmp_path / "p2", base=first.manifest)
    grown = shrunk = whole = 0
    for rel, entry in second.manifest.files.items():
        before = first.manifest.files.get(rel)
        if before is not None and entry.parts[: len(before.parts)] == before.parts:
            grown += entry.size - before.size
        else:
            whole += entry.size
            shrunk += 1
    # only the instrument lists changed in the middle (their end dates); every feature file and the calendar grew
    assert shrunk == len(list((new / "instruments").glob("*.txt")))
    assert second.changes["appended"] == len(second.manifest.files) - shrunk and second.changes["rewritten"] == shrunk
    assert second.stored_bytes == grown + whole < 0.05 * first.stored_bytes
    print(f"\nv1 stored {first.stored_bytes:,} B; the appended month stored {second.stored_bytes:,} B "
          f"({grown:,} B of new days, {whole:,} B of rewritten instrument lists)")
    # assembled from both versions' packs, it is the grown folder to the bit
    packs = {p.name: p for p in [*first.new_packs, *second.new_packs]}
    assemble(second.manifest, lambda sha: packs[sha], tmp_path / "out")
    assert content_hash(tmp_path / "out") == content_hash(new) == market["hash"]


def test_a_manifest_path_may_not_leave_the_folder(tmp_path: Path) -> None:
    bad = Manifest.model_validate({"content_hash": "0" * 64, "files": {"../x": {"size": 0, "sha256": "e3b0c44298fc1c1"
                                   "49afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "parts": []}}})
    try:
        assemble(bad, lambda sha: tmp_path / sha, tmp_path / "out")
    except ValueError as exc:
        assert "leaves the folder" in str(exc)
    else:
        raise AssertionError("a manifest path with .. was assembled")
    assert not (tmp_path / "x").exists()


# ----- through the platform ---------------------------------------------------------------------------------------
def test_an_appended_month_is_a_version_storing_only_the_month(api: Api, market: dict[str, Any],  # noqa: F811
                                                               tmp_path: Path) -> None:
    head, tail, cut = split(market["frame"])
    r = upload(api, csv_of(head, tmp_path / "a"))
    v1 = _ingested(api, r, tmp_path / "s1")
    before = store_bytes(api)
    assert v1["stored_bytes"] == before > 0 and v1["base_id"] is None
    r = upload(api, csv_of(tail, tmp_path / "b"), append=True)
    v2 = _ingested(api, r, tmp_path / "s2")
    added = store_bytes(api) - before
    new_values = sum(len(tail[c].dropna()) for c in ("open", "high", "low", "close", "volume", "factor", "vwap",
                                                      "change") if c in tail) * 4
    print(f"\nappended {len(tail):,} rows ({cut}..): the store grew by {added:,} B; v1 holds {before:,} B; "
          f"the new values alone are {new_values:,} B")
    assert v2["version"] == 2 and v2["base_id"] == v1["id"] and v2["stored_bytes"] == added
    assert v2["content_hash"] == market["hash"]  # the appended version is the generator's market to the bit
    assert added < 0.06 * before and added < new_values * 1.6 + 8192
    changes = v2["changes"]
    assert changes["days_added"] == 21 and changes["first_new_day"] == cut and changes["instruments_added"] == []
    assert changes["appended"] > 0 and changes["removed"] == 0
    # v1 is as it was
    assert api.client.get(f"/api/data/datasets/{v1['id']}", headers=api.headers("viewer")).json() == v1

    # a host with an empty cache assembles v2 from the store; v1 afterwards needs no download (its pack is there)
    trainer = trainer_for(api)
    folder, note = local_copy(trainer, ref(v2), tmp_path / "host" / "datasets")
    assert content_hash(folder) == market["hash"] and note is not None and "2 packs (0 already on this host)" in note
    folder1, note1 = local_copy(trainer, ref(v1), tmp_path / "host" / "datasets")
    assert content_hash(folder1) == v1["content_hash"]
    assert note1 is not None and "1 packs (1 already on this host), 0.0 MB downloaded" in note1
    assert local_copy(trainer, ref(v2), tmp_path / "host" / "datasets") == (folder, None)


def test_an_append_that_rewrites_history_fails_naming_it(api: Api, market: dict[str, Any],  # noqa: F811
                                                         tmp_path: Path) -> None:
    head, tail, _ = split(market["frame"])
    v1 = _ingested(api, upload(api, csv_of(head, tmp_path / "a")), tmp_path / "s1")
    days = sorted(head["date"].unique())
    revised = head[head["date"] == days[-1]].copy()
    revised.loc[revised["symbol"] == "SYN0003", "close"] *= 1.01
    equal = head[head["date"] == days[-2]]  # rows equal to the stored ones are fine
    r = upload(api, csv_of(pd.concat([equal, revised, tail]), tmp_path / "b"),
               append=True)
    assert r.status_code == 202, r.text
    job = play_worker(api, r.json()["id"], tmp_path / "s2")
    assert job["state"] == "failed" and job["dataset_id"] is None
    assert "revises_base" in job["error"] and "SYN0003" in job["error"] and days[-1] in job["error"]
    assert "SYN0004" not in job["error"]
    assert versions(api, "ingested") == [v1]


def test_append_needs_a_version_and_refuses_an_archived_one(api: Api, market: dict[str, Any],  # noqa: F811
                                                            tmp_path: Path) -> None:
    r = upload(api, market["csv"], name="nothing-yet", append=True)
    assert r.status_code == 404 and "no version to append to" in r.json()["detail"]
    v1 = _ingested(api, upload(api, market["csv"]), tmp_path / "s1")
    url = f"/api/data/datasets/{v1['id']}/archive"
    assert api.client.post(url, headers=api.headers("researcher")).status_code == 403
    r = api.client.post(url, headers=api.headers("admin"))
    assert r.status_code == 200 and r.json()["archived_at"] is not None
    again = api.client.post(url, headers=api.headers("admin")).json()
    assert again["archived_at"] == r.json()["archived_at"]
    r = upload(api, market["csv"], append=True)
    assert r.status_code == 422 and "archived" in r.json()["detail"]
    config = (Path(__file__).parents[1] / "trainers" / "configs" / "demo_lgb_alpha158.yaml").read_text()
    r = api.client.post("/api/train", json={"config_text": config, "dataset_id": v1["id"]},
                        headers=api.headers("researcher"))
    assert r.status_code == 422 and "archived" in r.json()["detail"]
    # still readable, files and all
    assert api.client.get(f"/api/data/datasets/{v1['id']}/calendar", headers=api.headers("viewer")).status_code == 200


def test_a_versions_jobs_are_its_lineage(api: Api, market: dict[str, Any], tmp_path: Path) -> None:  # noqa: F811
    v1 = _ingested(api, upload(api, market["csv"]), tmp_path / "s1")
    config = (Path(__file__).parents[1] / "trainers" / "configs" / "demo_lgb_alpha158.yaml").read_text()
    ids = []
    for _ in range(2):
        r = api.client.post("/api/train", json={"config_text": config, "dataset_id": v1["id"]},
                            headers=api.headers("researcher"))
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    r = api.client.get("/api/train", params={"dataset_id": v1["id"], "kind": "workflow"},
                       headers=api.headers("viewer"))
    assert [j["id"] for j in r.json()] == ids[::-1] and r.headers["X-Total-Count"] == "2"
    made = api.client.get("/api/train", params={"dataset_id": v1["id"], "kind": "ingest"},
                          headers=api.headers("viewer")).json()
    assert len(made) == 1 and made[0]["name"] == "ingest ingested"
    assert api.client.get("/api/train", params={"dataset_id": 0}, headers=api.headers("viewer")).status_code == 422


def test_a_version_from_before_the_store_is_stored_on_first_fetch(api: Api, market: dict[str, Any],  # noqa: F811
                                                                  tmp_path: Path) -> None:
    from platform_api.data.models import Dataset
    from platform_api.db import session_scope

    v1 = _ingested(api, upload(api, market["csv"]), tmp_path / "s1")
    store = Path(api.settings.storage.dataset_store or "")
    for p in store.rglob("*"):
        if p.is_file():
            p.chmod(0o644)
            p.unlink()
    assert api.settings.db.url is not None
    with session_scope(api.settings.db.url) as s:
        row = s.get(Dataset, v1["id"])
        assert row is not None
        row.packs, row.stored_bytes = None, None
    folder, note = local_copy(trainer_for(api), ref(v1), tmp_path / "host" / "datasets")
    assert content_hash(folder) == market["hash"] and note is not None
    after = api.client.get(f"/api/data/datasets/{v1['id']}", headers=api.headers("viewer")).json()
    assert after["stored_bytes"] == store_bytes(api) > 0


def test_store_objects_need_the_trainer_token_and_a_store_key(api: Api, market: dict[str, Any],  # noqa: F811
                                                              tmp_path: Path) -> None:
    v1 = _ingested(api, upload(api, market["csv"]), tmp_path / "s1")
    where = api.client.get(f"/api/internal/datasets/{v1['id']}/locations", headers=api.trainer).json()
    assert where["manifest"] == f"/api/internal/store/manifests/{v1['content_hash']}.json"
    assert api.client.get(where["manifest"], headers=api.headers("admin")).status_code in (401, 403)
    assert api.client.get(where["manifest"], headers=api.trainer).status_code == 200
    for bad in ("../platform.db", "packs/..%2F..%2Fplatform.db", "manifests/x.json", "packs/" + "g" * 64):
        r = api.client.get(f"/api/internal/store/{bad}", headers=api.trainer)
        assert r.status_code in (404, 422), (bad, r.status_code)


def test_uploads_are_removed_once_no_job_needs_them(api: Api, market: dict[str, Any],  # noqa: F811
                                                    tmp_path: Path) -> None:
    from platform_api.jobs.reaper import sweep_uploads

    uploads = api.settings.storage.uploads_dir
    assert uploads is not None
    done = upload(api, market["csv"])
    play_worker(api, done.json()["id"], tmp_path / "s1")
    waiting = upload(api, csv_of(split(market["frame"])[0], tmp_path / "a"))  # queued: no worker takes it here
    assert waiting.status_code == 202 and len([p for p in uploads.iterdir() if not p.name.startswith(".")]) == 2
    assert sweep_uploads(api.settings) == []  # within the grace period nothing goes
    [gone] = sweep_uploads(api.settings, grace_s=0)
    left = [p.name for p in uploads.iterdir()]
    assert len(left) == 1 and gone not in left
    from tests.test_ingest_job import params_of

    assert params_of(api, waiting.json()["id"])["upload"] == left[0]
    assert params_of(api, done.json()["id"])["upload"] == gone


def _ingested(api: Api, r: Any, scratch: Path) -> dict[str, Any]:
    assert r.status_code == 202, r.text
    job = play_worker(api, r.json()["id"], scratch)
    assert job["state"] == "succeeded", (job["error"], log_of(api, job["id"]))
    return dict(api.client.get(f"/api/data/datasets/{job['dataset_id']}", headers=api.headers("viewer")).json())
