"""Ingest as a platform job: an upload becomes a validated dataset version through a worker, or is refused with why."""

from __future__ import annotations

import io
import tarfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from qlp_core.qlib_data import content_hash
from tests.conftest import Api, start_api
from tests.helpers import make_settings
from tests.test_ingest_validate import broken
from trainers.ingest import ReadOptions, bars_from_frame, read_qlib_folder
from trainers.ingest.export import export_bars
from trainers.market import generate_market

OPTS = ReadOptions(benchmarks=["DEMOIDX"])
OCTET = {"Content-Type": "application/octet-stream"}


@pytest.fixture(scope="module")
def market(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The generator's folder (20 instruments × 2 years), its long CSV export, and its frame as text for breaking."""
    root = tmp_path_factory.mktemp("ingest-job")
    gen = root / "gen"
    generate_market(gen, n_instruments=20, years=2, seed=11)
    bars = read_qlib_folder(gen)
    [csv] = export_bars(bars, root / "csv", layout="long")
    frame = bars.frame.copy()
    frame["symbol"] = frame["symbol"].astype(str)
    frame["date"] = frame["date"].dt.strftime("%Y-%m-%d")
    return {"gen": gen, "hash": content_hash(gen), "csv": csv.read_bytes(), "frame": frame, "root": root}


def csv_of(frame: Any, tmp: Path) -> bytes:
    [path] = export_bars(bars_from_frame(frame, OPTS), tmp, layout="long")
    return path.read_bytes()


def upload(api: Api, data: bytes | Iterator[bytes], filename: str = "bars.csv", name: str = "ingested",
           role: str = "researcher", **params: Any) -> Any:
    query = {"filename": filename, "benchmark": ["DEMOIDX"], "market": "demo", **params}
    return api.client.post(f"/api/data/datasets/{name}/versions", params=query, content=data,
                           headers={**api.headers(role), **OCTET})


def play_worker(api: Api, job_id: int, scratch: Path, fetch: bool = True) -> dict[str, Any]:
    """The real executor, in this process, against the in-process API: claim, (fetch the upload), run
    ``trainers.ingest_job`` as a child process, upload the version with its report, finish."""
    from trainers.api_client import TrainerAPI
    from trainers.executor import JobExecutor

    trainer = TrainerAPI("http://testserver", "unused")
    trainer.client.close()
    trainer.client = TestClient(api.client.app, base_url="http://testserver", headers=api.trainer)
    assert JobExecutor(trainer, "test-worker", scratch, fetch_datasets=fetch).run(job_id) in (
        "succeeded", "failed")
    return dict(api.client.get(f"/api/train/{job_id}", headers=api.headers("viewer")).json())


def log_of(api: Api, job_id: int) -> str:
    page = api.client.get(f"/api/train/{job_id}/logs", params={"limit": 5000}, headers=api.headers("viewer")).json()
    return "\n".join(line["line"] for line in page["lines"])


def params_of(api: Api, job_id: int) -> dict[str, Any]:
    from platform_api.db import session_scope
    from platform_api.jobs.models import Job

    assert api.settings.db.url is not None
    with session_scope(api.settings.db.url, write=False) as s:
        job = s.get(Job, job_id)
        assert job is not None
        return dict(job.params or {})


def versions(api: Api, name: str) -> list[dict[str, Any]]:
    return list(api.client.get("/api/data/datasets", params={"name": name}, headers=api.headers("viewer")).json())


def ingest_ok(api: Api, data: bytes, scratch: Path, **kw: Any) -> dict[str, Any]:
    r = upload(api, data, **kw)
    assert r.status_code == 202, r.text
    job = play_worker(api, r.json()["id"], scratch)
    assert job["state"] == "succeeded", (job["error"], log_of(api, job["id"]))
    return dict(api.client.get(f"/api/data/datasets/{job['dataset_id']}", headers=api.headers("viewer")).json())


def uploads_left(api: Api) -> list[str]:
    base = api.settings.storage.uploads_dir
    assert base is not None
    return sorted(p.name for p in base.iterdir()) if base.exists() else []


def jobs_count(api: Api) -> int:
    r = api.client.get("/api/train", headers=api.headers("viewer"))
    return int(r.headers["X-Total-Count"])


# ----- the good path and the rejected one -----------------------------------------------------------------------
def test_long_csv_becomes_a_version_equal_to_the_generator(api: Api, market: dict[str, Any], tmp_path: Path) -> None:
    r = upload(api, market["csv"])
    assert r.status_code == 202, r.text
    job = r.json()
    params = params_of(api, job["id"])
    assert job["kind"] == "ingest" and job["state"] == "queued" and params["name"] == "ingested"
    assert params["benchmarks"] == ["DEMOIDX"] and params["upload"] in uploads_left(api)
    done = play_worker(api, job["id"], tmp_path / "scratch", fetch=True)
    assert done["state"] == "succeeded", (done["error"], log_of(api, job["id"]))
    ds = api.client.get(f"/api/data/datasets/{done['dataset_id']}", headers=api.headers("viewer")).json()
    assert ds["name"] == "ingested" and ds["version"] == 1 and ds["content_hash"] == market["hash"]
    assert ds["source"]["kind"] == "upload" and ds["source"]["filename"] == "bars.csv"
    assert ds["validation"]["errors"] == [] and ds["validation"]["warnings"] == []
    assert ds["validation"]["instruments"] == 20 and ds["validation"]["benchmarks"] == ["DEMOIDX"]
    assert ds["markets"] == ["all", "demo", "index"]
    log = log_of(api, job["id"])
    assert "fetched the upload" in log and "0 errors, 0 warnings" in log and "registered dataset ingested@v1" in log
    # the worker's job folder has the report next to the output
    assert (tmp_path / "scratch" / f"job-{job['id']}-attempt-1" / "validation.json").is_file()


def test_warnings_stay_with_the_version(api: Api, market: dict[str, Any], tmp_path: Path) -> None:
    frame = market["frame"]
    days = sorted(frame["date"].unique())
    holed = frame[~((frame["symbol"] == "SYN0006") & frame["date"].isin(days[200:205]))]
    ds = ingest_ok(api, csv_of(holed, tmp_path / "src"), tmp_path / "scratch")
    [warning] = [w for w in ds["validation"]["warnings"] if w["check"] == "missing_days"]
    assert warning["symbol"] == "SYN0006" and warning["first"] == days[200] and warning["count"] == 5
    assert ds["validation"]["errors"] == []


def test_a_broken_copy_fails_naming_its_problems_and_changes_nothing(api: Api, market: dict[str, Any],
                                                                      tmp_path: Path) -> None:
    good = ingest_ok(api, market["csv"], tmp_path / "s1")
    v1 = api.settings.storage.datasets_dir / "ingested" / "v1"  # type: ignore[operator]
    files_before = content_hash(v1)
    r = upload(api, csv_of(broken(market["frame"]), tmp_path / "src"))
    assert r.status_code == 202, r.text
    job = play_worker(api, r.json()["id"], tmp_path / "s2", fetch=False)
    assert job["state"] == "failed" and job["dataset_id"] is None
    error = job["error"]
    for named in ("duplicate_rows", "SYN0001", "2020-03-02..2020-03-04", "non_positive_price", "SYN0002",
                  "high_below_low", "SYN0003", "missing_days", "SYN0004", "factor_jump_without_price_move", "SYN0005"):
        assert named in error, (named, error)
    assert "rejected, 5 errors" in error
    assert "[qlp] error: [duplicate_rows]" in log_of(api, job["id"])
    assert versions(api, "ingested") == [good]  # no new version; the earlier one's row as it was
    assert content_hash(v1) == files_before == market["hash"]


def test_a_qlib_folder_archive_is_ingested(api: Api, market: dict[str, Any], tmp_path: Path) -> None:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        tar.add(market["gen"], arcname="mydata")
    ds = ingest_ok(api, buf.getvalue(), tmp_path / "scratch", filename="market.tar.gz", name="folder")
    assert ds["content_hash"] == market["hash"] and ds["validation"]["errors"] == []


def test_formula_injection_in_a_symbol_fails_the_job_with_the_reason(api: Api, tmp_path: Path) -> None:
    data = b'date,symbol,close\n2024-01-02,AAA,1\n2024-01-02,"=cmd|\' /C calc\'!A0",1\n'
    r = upload(api, data, benchmark=[])
    assert r.status_code == 202, r.text
    job = play_worker(api, r.json()["id"], tmp_path / "scratch")
    assert job["state"] == "failed" and "formula_injection" in job["error"] and "formula" in job["error"]
    assert versions(api, "ingested") == []


# ----- refusals at the door ---------------------------------------------------------------------------------------
@pytest.fixture
def small_api(tmp_path: Path) -> Iterator[Api]:
    yield from start_api(make_settings(tmp_path / "home", storage={"max_upload_bytes": 4096,
                                                                   "max_archive_members": 5}))


@pytest.mark.parametrize("chunked", [False, True])
def test_an_oversized_upload_is_refused_with_413_and_nothing_kept(small_api: Api, chunked: bool) -> None:
    data = b"date,symbol,close\n" + b"2024-01-02,AAA,1\n" * 1000
    body: bytes | Iterator[bytes] = iter([data[i:i + 1000] for i in range(0, len(data), 1000)]) if chunked else data
    r = upload(small_api, body)
    assert r.status_code == 413 and r.json()["code"] == "too_large", r.text
    assert "4,096" in r.json()["detail"]
    assert uploads_left(small_api) == [] and jobs_count(small_api) == 0


def _zip(members: dict[str, bytes], symlink: str | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = (0o120777 << 16)
            zf.writestr(info, "/etc/passwd")
    return buf.getvalue()


def _tar(kind: str) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        info = tarfile.TarInfo("bars.csv")
        data = b"date,symbol,close\n2024-01-02,AAA,1\n"
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
        bad = tarfile.TarInfo("evil.csv")
        if kind == "symlink":
            bad.type, bad.linkname = tarfile.SYMTYPE, "/etc/passwd"
        elif kind == "hardlink":
            bad.type, bad.linkname = tarfile.LNKTYPE, "bars.csv"
        elif kind == "device":
            bad.type, bad.devmajor, bad.devminor = tarfile.CHRTYPE, 1, 3
        elif kind == "absolute":
            bad.name = "/tmp/evil.csv"
        tar.addfile(bad)
    return buf.getvalue()


def _bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf, zf.open("bars.csv", "w") as fh:
        block = bytes(1 << 20)
        for _ in range(80):
            fh.write(block)
    return buf.getvalue()


def _tgz_bomb() -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz", compresslevel=9) as tar:
        info = tarfile.TarInfo("bars.csv")
        info.size = 80 << 20
        tar.addfile(info, io.BytesIO(bytes(info.size)))
    return buf.getvalue()


def _gz_bomb() -> bytes:
    import gzip

    return gzip.compress(bytes(80 << 20), compresslevel=9)


CSV = b"date,symbol,close\n2024-01-02,AAA,1\n"
REFUSED = {
    "zip-slip": ("x.zip", lambda: _zip({"../../evil.csv": CSV}), "zip-slip"),
    "absolute path in a zip": ("x.zip", lambda: _zip({"/etc/evil.csv": CSV}), "absolute path"),
    "symlink in a zip": ("x.zip", lambda: _zip({"bars.csv": CSV}, symlink="link.csv"), "symbolic link"),
    "symlink in a tar": ("x.tar", lambda: _tar("symlink"), "symbolic link"),
    "hard link in a tar": ("x.tar", lambda: _tar("hardlink"), "hard link"),
    "device in a tar": ("x.tar", lambda: _tar("device"), "device"),
    "absolute path in a tar": ("x.tar", lambda: _tar("absolute"), "absolute path"),
    "zip bomb": ("x.zip", _bomb, "zip bomb"),
    "tar.gz bomb": ("x.tar.gz", _tgz_bomb, "zip bomb"),
    "csv.gz bomb": ("x.csv.gz", _gz_bomb, "zip bomb"),
    "not a zip": ("x.zip", lambda: b"PK but not really", "not a readable zip"),
    "not Parquet": ("x.parquet", lambda: CSV, "not a Parquet file"),
    "not UTF-8": ("x.csv", lambda: b"date,close\n\xff\xfe,1\n", "not UTF-8"),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_bad_archives_are_refused_with_the_reason(api: Api, case: str) -> None:
    filename, make, reason = REFUSED[case]
    r = upload(api, make(), filename=filename)
    assert r.status_code == 422 and r.json()["code"] == "refused", r.text
    assert reason in r.json()["detail"], r.json()["detail"]
    assert uploads_left(api) == [] and jobs_count(api) == 0


def test_too_many_members_are_refused(small_api: Api) -> None:
    r = upload(small_api, _zip({f"f{i}.csv": CSV for i in range(6)}), filename="x.zip")
    assert r.status_code == 422 and "more than 5 members" in r.json()["detail"], r.text
    assert uploads_left(small_api) == []


@pytest.mark.parametrize(("name", "params"), [
    ("bad name!", {}),
    ("a..b", {}),
    ("ok", {"filename": "x.exe"}),
    ("ok", {"filename": "=cmd.csv"}),
    ("ok", {"filename": "a..b.csv"}),
    ("ok", {"map": ["trade_date:Date"]}),
    ("ok", {"map": ["a:date", "b:date"]}),
    ("ok", {"market": "index"}),
    ("ok", {"date_format": "%Y%m%d; rm -rf"}),
    ("ok", {"benchmark": ["../x"]}),
])
def test_bad_names_and_options_are_refused(api: Api, name: str, params: dict[str, Any]) -> None:
    r = upload(api, CSV, name=name, **params)
    assert r.status_code in (404, 422), r.text
    assert r.status_code == 404 or r.json()["detail"]
    assert jobs_count(api) == 0


def test_a_viewer_may_not_upload(api: Api) -> None:
    r = upload(api, CSV, role="viewer")
    assert r.status_code == 403, r.text
    assert uploads_left(api) == [] and jobs_count(api) == 0


def test_the_body_must_be_the_file(api: Api) -> None:
    r = api.client.post("/api/data/datasets/x/versions", params={"filename": "a.csv"}, files={"f": CSV},
                        headers=api.headers("researcher"))
    assert r.status_code == 422 and "application/octet-stream" in r.json()["detail"]
    assert upload(api, b"").status_code == 422


def test_the_upload_goes_only_to_the_worker_running_the_job(api: Api, tmp_path: Path) -> None:
    job = upload(api, CSV, benchmark=[]).json()
    path = f"/api/internal/jobs/{job['id']}/upload"
    assert api.client.get(path, params={"worker": "w"}, headers=api.trainer).status_code == 409  # not claimed
    assert api.client.post(f"/api/internal/jobs/{job['id']}/claim", json={"worker": "w"},
                           headers=api.trainer).status_code == 200
    assert api.client.get(path, params={"worker": "other"}, headers=api.trainer).json()["code"] == "job_not_yours"
    assert api.client.get(path, params={"worker": "w"}, headers=api.headers("admin")).status_code in (401, 403)
    r = api.client.get(path, params={"worker": "w"}, headers=api.trainer)
    assert r.status_code == 200
    with tarfile.open(fileobj=io.BytesIO(r.content)) as tar:
        assert tar.getnames() == ["bars.csv"]
    # an ingest's dataset upload must carry its report
    up = api.client.put(f"/api/internal/jobs/{job['id']}/dataset", params={"worker": "w"}, content=b"",
                        headers={**api.trainer, "X-Content-SHA256": "0" * 64})
    assert up.status_code >= 400


def test_the_same_upload_is_stored_once(api: Api) -> None:
    a, b = (params_of(api, upload(api, CSV, benchmark=[]).json()["id"])["upload"] for _ in range(2))
    assert a == b and uploads_left(api) == [a]
    c = params_of(api, upload(api, CSV, benchmark=[], filename="AAA.csv").json()["id"])["upload"]
    assert c != a and len(uploads_left(api)) == 2  # the name is part of a single file's meaning


# ----- end to end: the CLI, the real API and worker ---------------------------------------------------------------
def _cli(p: Any, *args: str) -> Any:
    import subprocess
    import sys

    from tests.helpers import ROOT

    env = dict(p.env, QLP_PASSWORD=p.password, COLUMNS="200")
    return subprocess.run([sys.executable, "-m", "qlp_cli", *args], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


@pytest.mark.e2e
def test_cli_ingest_through_the_real_worker(shared_platform: Any, market: dict[str, Any], tmp_path: Path) -> None:
    """A folder of per-instrument CSVs (tarred on the fly) becomes a version; the last month appended as a long CSV
    makes the next one, equal to the generator's and storing only the month; a broken copy is rejected with its
    problems printed and a non-zero exit, and adds no version; `data list` shows the history, `data universe` makes
    a universe version."""
    p = shared_platform
    frame = market["frame"]
    cut = sorted(frame["date"].unique())[-21]
    src = tmp_path / "per-instrument"
    export_bars(bars_from_frame(frame[frame["date"] < cut], OPTS), src, layout="per_instrument")
    args = ("--name", "cli-ingest", "--benchmark", "DEMOIDX", "--market", "demo")
    done = _cli(p, "data", "ingest", str(src), *args)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "registered cli-ingest@v1" in done.stdout and "0 errors, 0 warnings" in done.stdout, done.stdout
    tail = tmp_path / "tail"
    tail.mkdir()
    (tail / "month.csv").write_bytes(csv_of(frame[frame["date"] >= cut], tmp_path / "t"))
    done = _cli(p, "data", "ingest", str(tail / "month.csv"), *args, "--append")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "registered cli-ingest@v2" in done.stdout, done.stdout
    with p.client() as c:
        ds = c.get("/api/data/datasets", params={"name": "cli-ingest"}).json()[0]
    assert ds["version"] == 2 and ds["content_hash"] == market["hash"] and ds["validation"]["errors"] == []
    assert ds["changes"]["days_added"] == 21 and ds["stored_bytes"] < ds["size_bytes"] / 10
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "bars.csv").write_bytes(csv_of(broken(market["frame"]), tmp_path / "b"))
    done = _cli(p, "data", "ingest", str(bad / "bars.csv"), *args)
    assert done.returncode == 1, done.stdout + done.stderr
    for named in ("duplicate_rows", "SYN0001", "2020-03-02..2020-03-04", "missing_days", "SYN0004"):
        assert named in done.stdout, (named, done.stdout)
    with p.client() as c:
        assert c.get("/api/data/datasets", params={"name": "cli-ingest"}).json()[0] == ds
    listed = _cli(p, "data", "list", "cli-ingest")
    assert listed.returncode == 0 and "cli-ingest@v2" in listed.stdout and f"+21 days from {cut}" in listed.stdout
    made = _cli(p, "data", "universe", str(ds["id"]), "--market", "top5", "--top", "5", "--window", "20")
    assert made.returncode == 0 and "registered cli-ingest@v3" in made.stdout, made.stdout + made.stderr
    with p.client() as c:
        v3 = c.get("/api/data/datasets", params={"name": "cli-ingest"}).json()[0]
        members = c.get(f"/api/data/datasets/{v3['id']}/instruments", params={"market": "top5"}).json()
    assert "top5" in v3["markets"] and v3["changes"]["markets_added"] == ["top5"] and members
    assert v3["stored_bytes"] < 10_000  # the one new instrument list
