"""The factor library's API: expressions vetted by our parser (errors with their position), versions, archiving,
evaluation jobs, factor sets resolved into a workflow's handler when the job is submitted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Api
from tests.helpers import ROOT, generate_dataset

MOMENTUM = "Ref($close, 5) / $close - 1"
FACTOR_SET_YAML = (ROOT / "trainers" / "configs" / "demo_lgb_alpha158.yaml").read_text()


def create(api: Api, name: str = "momentum", expression: str = MOMENTUM, role: str = "researcher",
           **extra: Any) -> Any:
    return api.client.post("/api/factors", json={"name": name, "expression": expression, **extra},
                           headers=api.headers(role))


def test_a_factor_is_created_with_what_the_parser_found(api: Api) -> None:
    r = create(api, tags=["momentum", "price"], description="5-day reversal")
    assert r.status_code == 201, r.text
    f = r.json()
    assert f["name"] == "momentum" and f["latest_version"] == 1 and f["owner"] == "researcher"
    v = f["latest"]
    assert v["fields"] == ["close"] and v["lookback"] == 5 and v["lookahead"] == []
    assert v["tags"] == ["momentum", "price"] and len(f["versions"]) == 1
    listed = api.client.get("/api/factors", headers=api.headers("viewer")).json()
    assert [x["name"] for x in listed] == ["momentum"] and listed[0]["evaluation"] is None
    assert create(api).status_code == 409


@pytest.mark.parametrize(("expression", "position"), [
    ("Mean($close, )", 13),
    ("Foo($close)", 0),
    ("__import__('os').system('id')", 0),
    ("$close.__class__", 6),
])
def test_bad_expressions_are_refused_with_their_position(api: Api, expression: str, position: int) -> None:
    r = create(api, expression=expression)
    assert r.status_code == 422 and f"at {position}" in r.json()["detail"], r.text
    check = api.client.post("/api/factors/check", json={"expression": expression}, headers=api.headers("researcher"))
    assert check.status_code == 200 and check.json()["valid"] is False
    assert check.json()["error"]["position"] == position
    assert api.client.get("/api/factors", headers=api.headers("viewer")).json() == []


def test_the_check_reports_lookback_and_lookahead(api: Api) -> None:
    r = api.client.post("/api/factors/check", json={"expression": "Corr($close, Log($volume + 1), 10)"},
                        headers=api.headers("researcher"))
    info = r.json()["info"]
    assert r.json()["valid"] and info["fields"] == ["close", "volume"] and info["lookback"] == 9
    future = api.client.post("/api/factors/check", json={"expression": "Ref($close, -2) / $close - 1"},
                             headers=api.headers("researcher")).json()
    assert future["valid"] and future["info"]["lookahead"]
    r = create(api, name="leak", expression="Ref($close, -2) / $close - 1")
    assert r.status_code == 422 and "future" in r.json()["detail"]


def test_an_edit_is_a_new_version_and_archiving_stops_edits(api: Api) -> None:
    f = create(api).json()
    r = api.client.post(f"/api/factors/{f['id']}/versions", json={"expression": "Ref($close, 10) / $close - 1"},
                        headers=api.headers("researcher2"))
    assert r.status_code == 403  # only the owner or an admin
    r = api.client.post(f"/api/factors/{f['id']}/versions", json={"expression": "Ref($close, 10) / $close - 1",
                                                                  "tags": ["momentum"]},
                        headers=api.headers("researcher"))
    assert r.status_code == 201 and r.json()["latest_version"] == 2
    assert r.json()["versions"][0]["expression"] == f["latest"]["expression"]  # v1 as it was
    assert r.json()["latest"]["lookback"] == 10
    assert api.client.post(f"/api/factors/{f['id']}/archive", headers=api.headers("researcher")).status_code == 200
    r = api.client.post(f"/api/factors/{f['id']}/versions", json={"expression": MOMENTUM},
                        headers=api.headers("researcher"))
    assert r.status_code == 422 and "archived" in r.json()["detail"]
    assert api.client.get("/api/factors", headers=api.headers("viewer")).json() == []
    assert len(api.client.get("/api/factors", params={"archived": True}, headers=api.headers("viewer")).json()) == 1


def test_a_viewer_may_not_write(api: Api) -> None:
    assert create(api, role="viewer").status_code == 403
    assert api.client.post("/api/factors/check", json={"expression": MOMENTUM},
                           headers=api.headers("viewer")).status_code == 403


def test_an_evaluation_is_a_job_on_a_dataset_version(api: Api, tmp_path: Path) -> None:
    ds = generate_dataset(api.client, api.headers("researcher"), api.trainer, tmp_path / "gen", n_instruments=6,
                          years=1)
    f = create(api).json()
    body = {"dataset_id": ds["id"], "market": "demo", "horizons": [1, 5]}
    r = api.client.post(f"/api/factors/{f['id']}/evaluate", json=body, headers=api.headers("researcher"))
    assert r.status_code == 202, r.text
    job = r.json()
    assert job["kind"] == "factor_eval" and job["dataset_id"] == ds["id"] and "momentum@v1" in job["name"]
    [e] = api.client.get(f"/api/factors/{f['id']}/evaluations", headers=api.headers("viewer")).json()
    assert e["job_id"] == job["id"] and e["state"] == "queued" and e["horizons"] == [1, 5]
    assert e["dataset_hash"] == ds["content_hash"] and e["summary"] == {}
    bad = api.client.post(f"/api/factors/{f['id']}/evaluate", json={**body, "market": "nope"},
                          headers=api.headers("researcher"))
    assert bad.status_code == 422 and "no market" in bad.json()["detail"]
    assert api.client.post(f"/api/factors/{f['id']}/evaluate", json={**body, "horizons": [0]},
                           headers=api.headers("researcher")).status_code == 422


def test_a_factor_set_fills_a_workflows_handler(api: Api, tmp_path: Path) -> None:
    ds = generate_dataset(api.client, api.headers("researcher"), api.trainer, tmp_path / "gen", n_instruments=6,
                          years=1)
    a = create(api).json()
    b = create(api, name="volume_trend", expression="Mean($volume, 5) / Mean($volume, 20)").json()
    r = api.client.post("/api/factor-sets", json={"name": "starter", "factors": [{"factor_id": a["id"]},
                                                                                 {"factor_id": b["id"]}]},
                        headers=api.headers("researcher"))
    assert r.status_code == 201, r.text
    fs = r.json()
    assert fs["version"] == 1 and [m["name"] for m in fs["members"]] == ["momentum", "volume_trend"]
    config = FACTOR_SET_YAML.replace("class: Alpha158\n", "class: FactorSetHandler\n").replace(
        "module_path: qlib.contrib.data.handler\n", "module_path: trainers.factor_handler\n")
    assert "FactorSetHandler" in config
    overrides = {"task.dataset.kwargs.handler.kwargs.factor_set": "starter"}
    r = api.client.post("/api/train", json={"config_text": config, "dataset_id": ds["id"], "overrides": overrides},
                        headers=api.headers("researcher"))
    assert r.status_code == 201, r.text
    job = r.json()
    kw = "task.dataset.kwargs.handler.kwargs"
    assert job["overrides"][f"{kw}.factor_set"] == "starter@v1"
    assert job["overrides"][f"{kw}.factors"] == [["momentum@v1", a["latest"]["expression"]],
                                                 ["volume_trend@v1", b["latest"]["expression"]]]
    runs = api.client.get("/api/train", params={"factor_set_id": fs["id"]}, headers=api.headers("viewer")).json()
    assert [j["id"] for j in runs] == [job["id"]]
    missing = api.client.post("/api/train", json={"config_text": config, "dataset_id": ds["id"], "overrides": {
        f"{kw}.factor_set": "nope"}}, headers=api.headers("researcher"))
    assert missing.status_code == 404
    dup = api.client.post("/api/factor-sets", json={"name": "x", "factors": [{"factor_id": a["id"]},
                                                                            {"factor_id": a["id"]}]},
                          headers=api.headers("researcher"))
    assert dup.status_code == 422


def _claimed_evaluation(api: Api, factor_id: int, ds: dict[str, Any], worker: str = "w1") -> int:
    r = api.client.post(f"/api/factors/{factor_id}/evaluate", json={"dataset_id": ds["id"], "market": "demo"},
                        headers=api.headers("researcher"))
    assert r.status_code == 202, r.text
    job_id = int(r.json()["id"])
    claim = api.client.post(f"/api/internal/jobs/{job_id}/claim", headers=api.trainer, json={"worker": worker})
    assert claim.status_code == 200, claim.text
    return job_id


def _ranks_tar(folder: Path, seed: int) -> bytes:
    import io
    import tarfile

    import numpy as np

    from trainers.factor_library import pack, unpack
    from trainers.factors.redundancy import FactorLibrary, rank_matrix

    values = np.random.default_rng(seed).normal(size=(30, 12))
    ranks = rank_matrix(values, [f"2021-01-{d + 1:02d}" for d in range(30)], [f"S{i}" for i in range(12)])
    entry = FactorLibrary(folder).put("f1", "0" * 64, ranks)
    out = folder / "entry.tar"
    pack(entry, out)
    back = unpack(out)  # the tar round-trips to the same ranks
    assert np.array_equal(back.z, ranks.z) and np.array_equal(back.mask, ranks.mask)
    assert list(back.instruments) == list(ranks.instruments)
    with tarfile.open(fileobj=io.BytesIO(out.read_bytes())) as tar:
        assert sorted(tar.getnames()) == ["dates.npy", "instruments.npy", "mask.npy", "z.npy"]
    return out.read_bytes()


def test_the_library_of_ranks_is_kept_in_the_store_for_every_host(api: Api, tmp_path: Path) -> None:
    """An evaluation's worker asks where to put the factor's ranks (one object per job), puts them there and names
    the object with its results; the library of a dataset then lists each factor's newest ranks with a URL to fetch
    them, leaving out the factor being evaluated and archived factors. A result naming another job's object, or an
    object not in the store, is refused and nothing is stored."""
    ds = generate_dataset(api.client, api.headers("researcher"), api.trainer, tmp_path / "gen", n_instruments=6,
                          years=1)
    a, b = create(api, "lib_a").json(), create(api, "lib_b", "Mean($close, 5) / $close").json()
    library = f"/api/internal/factor-library/{ds['content_hash']}"
    assert api.client.get(library, headers=api.trainer).json() == {"entries": []}
    assert api.client.get(library, headers=api.headers("admin")).status_code == 401  # workers only

    job_a = _claimed_evaluation(api, a["id"], ds)
    where = api.client.post(f"/api/internal/jobs/{job_a}/factor-ranks", headers=api.trainer, json={"worker": "w1"})
    assert where.status_code == 200, where.text
    obj = where.json()["object"]
    assert obj == f"factor-ranks/{ds['content_hash']}/f{a['id']}-j{job_a}.tar"
    assert api.client.post(f"/api/internal/jobs/{job_a}/factor-ranks", headers=api.trainer,
                           json={"worker": "w2"}).status_code == 409  # not that worker's job
    result = {"worker": "w1", "run_id": None, "summary": {"redundancy": []}, "result": {}}
    missing = api.client.put(f"/api/internal/jobs/{job_a}/factor-result", headers=api.trainer,
                             json={**result, "ranks_object": obj})
    assert missing.status_code == 422 and "not in the store" in missing.json()["detail"]
    tar = _ranks_tar(tmp_path / "lib", seed=1)
    put = api.client.put(where.json()["url"], headers={**api.trainer, "Content-Type": "application/x-tar"},
                         content=tar)
    assert put.status_code == 201, put.text
    other = f"factor-ranks/{ds['content_hash']}/f{b['id']}-j{job_a}.tar"
    wrong = api.client.put(f"/api/internal/jobs/{job_a}/factor-result", headers=api.trainer,
                           json={**result, "ranks_object": other})
    assert wrong.status_code == 422 and "is not where job" in wrong.json()["detail"]
    ok = api.client.put(f"/api/internal/jobs/{job_a}/factor-result", headers=api.trainer,
                        json={**result, "ranks_object": obj})
    assert ok.status_code == 200, ok.text

    [entry] = api.client.get(library, headers=api.trainer).json()["entries"]
    assert entry["key"] == f"f{a['id']}" and entry["object"] == obj
    got = api.client.get(entry["url"], headers=api.trainer)  # a folder store: through the API's store route
    assert got.status_code == 200 and got.content == tar
    assert api.client.get(library, headers=api.trainer, params={"exclude": a["id"]}).json() == {"entries": []}
    assert api.client.get(f"/api/internal/factor-library/{ds['content_hash'][:40]}",
                          headers=api.trainer).status_code == 422
    assert api.client.post(f"/api/factors/{a['id']}/archive", headers=api.headers("researcher")).status_code == 200
    assert api.client.get(library, headers=api.trainer).json() == {"entries": []}


def test_a_library_object_is_only_plain_arrays_of_matching_shapes(tmp_path: Path) -> None:
    """What a worker fetches from the store is loaded without pickles, and only as the four arrays of ranks."""
    import io
    import tarfile

    import numpy as np

    from trainers.factor_library import LibraryError, unpack

    _ranks_tar(tmp_path / "lib", seed=2)
    entry = tmp_path / "lib" / ("0" * 64) / "f1"

    def tar_of(files: dict[str, bytes], name: str) -> Path:
        out = tmp_path / f"{name}.tar"
        with tarfile.open(out, "w") as tar:
            for member, data in files.items():
                info = tarfile.TarInfo(member)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
        return out

    good = {n: (entry / n).read_bytes() for n in ("z.npy", "mask.npy", "dates.npy", "instruments.npy")}
    assert unpack(tar_of(good, "good")).shape == (30, 12)
    pickled = io.BytesIO()
    np.save(pickled, np.array([{"x": 1}], dtype=object), allow_pickle=True)
    short = io.BytesIO()
    np.save(short, np.zeros((29, 12), dtype=np.float32))
    for name, files, why in [("extra", {**good, "../evil.npy": b"x"}, "unexpected member"),
                             ("missing", {k: v for k, v in good.items() if k != "mask.npy"}, "missing"),
                             ("pickle", {**good, "instruments.npy": pickled.getvalue()}, "instruments.npy"),
                             ("shape", {**good, "z.npy": short.getvalue()}, "shapes")]:
        with pytest.raises(LibraryError, match=why):
            unpack(tar_of(files, name))
