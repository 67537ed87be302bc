"""The feature cache: its key, the store (LRU bound, locks, corrupt entries), exact restores, and two real jobs."""

from __future__ import annotations

import copy
import datetime as dt
import json
import pickle
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml

from qlp_core.workflow_config import apply_overrides, load_config, prepare_config
from tests.test_runner import DEMO, OVERRIDES, protocol_lines, run_runner, write_spec
from trainers import feature_cache as fc
from trainers.feature_cache import (
    CorruptEntry,
    EntryData,
    FeatureRequest,
    LocalFeatureStore,
    Uncacheable,
    build_dataset,
    cache_key,
    key_inputs,
)

ROOT = Path(__file__).resolve().parents[1]
HASH = "ab" * 32
INIT = {"provider_uri": "/data/demo", "region": "cn", "kernels": 2,
        "exp_manager": {"class": "MLflowExpManager", "module_path": "qlib.workflow.expm", "kwargs": {"uri": "x"}}}
ROBUST = [{"class": "RobustZScoreNorm", "kwargs": {"fields_group": "feature", "clip_outlier": True}},
          {"class": "Fillna", "kwargs": {"fields_group": "feature"}}]


def demo_dataset() -> dict[str, Any]:
    return copy.deepcopy(yaml.safe_load(DEMO.read_text())["task"]["dataset"])


def key_of(dataset: dict[str, Any], dataset_hash: str = HASH, qlib_init: dict[str, Any] | None = None) -> str:
    return cache_key(key_inputs(dataset, dataset_hash, INIT if qlib_init is None else qlib_init))


def handler_kwargs(ds: dict[str, Any]) -> dict[str, Any]:
    return ds["kwargs"]["handler"]["kwargs"]  # type: ignore[no-any-return]


# ------------------------------------------------------------------------------------------------------ the key


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda ds: handler_kwargs(ds).update(instruments="all"), id="instruments"),
        pytest.param(lambda ds: handler_kwargs(ds).update(start_time="2020-02-03"), id="start"),
        pytest.param(lambda ds: handler_kwargs(ds).update(end_time="2022-11-30"), id="end"),
        pytest.param(lambda ds: handler_kwargs(ds).update(fit_end_time="2021-03-31"), id="fit-window"),
        pytest.param(lambda ds: handler_kwargs(ds).update(label=[["Ref($close, -3)/Ref($close, -1) - 1"], ["LABEL0"]]),
                     id="label"),
        pytest.param(lambda ds: handler_kwargs(ds).update(infer_processors=ROBUST), id="processors"),
        pytest.param(lambda ds: handler_kwargs(ds).update(infer_processors=ROBUST[::-1]), id="processor-order"),
        pytest.param(lambda ds: handler_kwargs(ds).update(learn_processors=[{"class": "DropnaLabel"}]),
                     id="learn-processors"),
        pytest.param(lambda ds: ds["kwargs"]["handler"].update({"class": "Alpha360"}), id="handler-class"),
        pytest.param(lambda ds: ds["kwargs"]["segments"].update(test=["2022-01-01", "2022-06-30"]), id="segments"),
        pytest.param(lambda ds: ds.update({"class": "TSDatasetH"}), id="dataset-class"),
    ],
)
def test_key_changes_with_what_changes_the_data(change: Any) -> None:
    base = demo_dataset()
    changed = demo_dataset()
    change(changed)
    assert changed != base
    assert key_of(changed) != key_of(base)


def test_key_changes_with_the_dataset_qlib_and_format(monkeypatch: pytest.MonkeyPatch) -> None:
    import qlib

    ds = demo_dataset()
    base = key_of(ds)
    assert key_of(ds, dataset_hash="cd" * 32) != base
    assert key_of(ds, qlib_init={**INIT, "region": "us"}) != base
    monkeypatch.setattr(qlib, "__version__", "0.9.8")
    assert key_of(ds) != base
    monkeypatch.undo()
    monkeypatch.setattr(fc, "FORMAT_VERSION", fc.FORMAT_VERSION + 1)
    assert key_of(ds) != base


def test_key_ignores_what_does_not_change_the_data() -> None:
    """The model, the records, the experiment, where the dataset folder is, the tracking URI, the kernels; also the
    config's key order and a YAML date against the same date written as text."""

    def key_for(overrides: dict[str, Any], **prepare: Any) -> str:
        config = apply_overrides(load_config(DEMO.read_text()), overrides)
        args = {"provider_uri": "/a", "tracking_uri": "http://a/mlflow", "experiment_name": "a", **prepare}
        prepared = prepare_config(config, **args)
        return key_of(prepared["task"]["dataset"], qlib_init=prepared["qlib_init"])

    base = key_for({})
    assert key_for({"task.model.kwargs.learning_rate": 0.05}) == base
    assert key_for({"task.model.kwargs.num_leaves": 31, "task.model.kwargs.seed": 7}) == base
    assert key_for({"task.record": [{"class": "SignalRecord", "module_path": "qlib.workflow.record_temp"}]}) == base
    assert key_for({"task.record.2.kwargs.config.strategy.kwargs.topk": 5}) == base
    assert key_for({}, provider_uri="/elsewhere/same-content", tracking_uri="sqlite:///x.db", experiment_name="b",
                   kernels=1) == base
    ds = demo_dataset()
    assert isinstance(handler_kwargs(ds)["fit_end_time"], dt.date)  # YAML's date
    as_text = demo_dataset()
    handler_kwargs(as_text)["fit_end_time"] = "2021-06-30"
    reordered = demo_dataset()
    reordered["kwargs"] = dict(reversed(list(reordered["kwargs"].items())))
    handler_kwargs(reordered).clear()
    handler_kwargs(reordered).update(dict(reversed(list(handler_kwargs(ds).items()))))
    assert key_of(ds) == key_of(as_text) == key_of(reordered)
    assert fc.canonical_json({"b": 1, "a": [dt.date(2020, 1, 2)]}) == '{"a":["2020-01-02"],"b":1}'


@pytest.mark.parametrize(
    ("handler", "why"),
    [
        ("Alpha158", "not a class config"),
        ({"class": "Alpha158", "module_path": "qlib.contrib.data.handler",
          "kwargs": {"init_data": False}}, "configured not to load"),
        ({"class": "DataHandlerLP", "module_path": "qlib.data.dataset.handler",
          "kwargs": {"data_loader": {"class": "DataLoaderDH", "kwargs": {}}}}, "not Qlib's QlibDataLoader"),
        ({"class": "SelfMadeHandler", "module_path": "tests.test_feature_cache"}, "builds its data its own way"),
        ({"class": "DatasetH", "module_path": "qlib.data.dataset"}, "not a Qlib data handler"),
    ],
)
def test_handlers_the_cache_cannot_reproduce_are_left_alone(handler: Any, why: str) -> None:
    with pytest.raises(Uncacheable, match=why):
        fc.eligible_handler_class(handler)


_SELF_MADE: list[type] = []


def __getattr__(name: str) -> type:
    """``SelfMadeHandler``, made on first use (Qlib is imported only when a test needs it)."""
    if name != "SelfMadeHandler":
        raise AttributeError(name)
    if not _SELF_MADE:
        from qlib.data.dataset.handler import DataHandlerLP

        class SelfMadeHandler(DataHandlerLP):
            def setup_data(self, *args: Any, **kwargs: Any) -> None:  # computes something of its own
                super().setup_data(*args, **kwargs)

        _SELF_MADE.append(SelfMadeHandler)
    return _SELF_MADE[0]


# ---------------------------------------------------------------------------------------------- frames on disk


def odd_frame() -> pd.DataFrame:
    """A handler-like frame with what a naive round trip loses: a negative-NaN payload, several dtypes, an index
    level with a value no row uses, text levels."""
    days = pd.date_range("2021-01-04", periods=4, freq="B").as_unit("us")
    index = pd.MultiIndex.from_product([days, pd.Index(["SH600000", "SZ000001", "SH600519"], dtype="str")],
                                       names=["datetime", "instrument"])
    index = index[index.get_level_values("instrument") != "SH600519"]  # the level keeps its unused value
    columns = pd.MultiIndex.from_tuples([("feature", "KMID"), ("feature", "ROC5"), ("feature", "N"),
                                         ("feature", "F"), ("label", "LABEL0")])
    rng = np.random.default_rng(0)
    df = pd.DataFrame({
        columns[0]: rng.normal(size=8).astype(np.float32),
        columns[1]: rng.normal(size=8),
        columns[2]: np.arange(8, dtype=np.int64),
        columns[3]: np.arange(8) % 2 == 0,
        columns[4]: rng.normal(size=8).astype(np.float32),
    }, index=index)
    values = df[("feature", "KMID")].to_numpy().copy()
    values.view(np.uint32)[1] = 0xFFC00000  # -nan, as Qlib's expressions leave it
    df[("feature", "KMID")] = values
    return df


def put(store: LocalFeatureStore, key: str, data: EntryData) -> int:
    with store.computing(key) as slot:
        assert slot.owned
        return slot.put({"test": key}, data)


def test_frames_come_back_bit_for_bit(tmp_path: Path) -> None:
    df = odd_frame()
    arrays: dict[str, np.ndarray] = {}
    meta = fc.encode_frame(df, arrays, "f0")
    store = LocalFeatureStore(tmp_path, 10**9)
    key = "1" * 64
    put(store, key, EntryData({"f0": meta}, arrays))
    entry = store.get(key)
    assert entry is not None
    back = fc.decode_frame(entry.data.meta["f0"], entry.data.arrays, "f0")
    assert fc.frames_identical(df, back)
    assert back[("feature", "KMID")].to_numpy().view(np.uint32)[1] == 0xFFC00000
    assert list(back.index.levels[1]) == ["SH600000", "SH600519", "SZ000001"]  # unused level value kept
    assert back.index.levels[0].dtype == np.dtype("datetime64[us]") and back.index.levels[1].dtype == "str"
    # a round trip through Arrow would not do: it turns NaN into null and back into a positive NaN
    import pyarrow as pa

    arrow = pa.Table.from_pandas(df).to_pandas()
    assert not fc.frames_identical(df, arrow)
    with pytest.raises(Uncacheable, match="dtype object"):
        fc.encode_frame(pd.DataFrame({"a": [object()]}), {}, "f1")


# ------------------------------------------------------------------------------------------------- the store


def blob(mb: float, seed: int = 0) -> EntryData:
    return EntryData({"what": "blob"}, {"v": np.random.default_rng(seed).random(int(mb * 1024 * 1024 / 8))})


def test_least_recently_used_entries_are_evicted_at_the_bound(tmp_path: Path) -> None:
    store = LocalFeatureStore(tmp_path, max_bytes=int(2.5 * 1024 * 1024))
    a, b, c = "a" * 64, "b" * 64, "c" * 64
    put(store, a, blob(1, 1))
    put(store, b, blob(1, 2))
    assert {e["key"] for e in store.entries()} == {a, b}
    time.sleep(0.01)
    assert store.get(a) is not None  # a hit touches it: b is now the least recently used
    put(store, c, blob(1, 3))
    assert {e["key"] for e in store.entries()} == {a, c}
    assert store.total_bytes() <= store.max_bytes
    assert not (tmp_path / "entries" / b).exists() and not (tmp_path / "locks" / f"{b}.lock").exists()
    assert list((tmp_path / "tmp").iterdir()) == []
    manifest = json.loads((tmp_path / "entries" / a / "manifest.json").read_text())
    assert manifest["inputs"] == {"test": a} and manifest["last_used"] > manifest["created"]
    assert {f["name"] for f in manifest["files"]} == {"v"} and manifest["bytes"] > 1024 * 1024


def test_an_entry_being_read_is_not_evicted(tmp_path: Path) -> None:
    store = LocalFeatureStore(tmp_path, max_bytes=int(2.5 * 1024 * 1024))
    a, b, c = "a" * 64, "b" * 64, "c" * 64
    put(store, a, blob(1, 1))
    put(store, b, blob(1, 2))
    with fc._flock(tmp_path / "locks" / f"{a}.lock", exclusive=False, timeout=0) as (locked, _):
        assert locked  # as a job reading a holds it
        put(store, c, blob(1, 3))
    assert {e["key"] for e in store.entries()} == {a, c}  # b went instead, though a was older


@pytest.mark.parametrize("damage", ["flip-a-byte", "truncate", "drop-a-file", "garbage-manifest", "other-key"])
def test_corrupt_entries_are_refused(tmp_path: Path, damage: str) -> None:
    store = LocalFeatureStore(tmp_path, 10**9)
    key = "d" * 64
    put(store, key, blob(0.1))
    folder = tmp_path / "entries" / key
    npy, manifest = folder / "v.npy", folder / "manifest.json"
    if damage == "flip-a-byte":
        raw = bytearray(npy.read_bytes())
        raw[-5] ^= 0x40
        npy.write_bytes(bytes(raw))
    elif damage == "truncate":
        npy.write_bytes(npy.read_bytes()[:-100])
    elif damage == "drop-a-file":
        npy.unlink()
    elif damage == "garbage-manifest":
        manifest.write_text("{not json")
    else:
        m = json.loads(manifest.read_text())
        m["key"] = "e" * 64
        manifest.write_text(json.dumps(m))
    with pytest.raises(CorruptEntry):
        store.get(key)


@pytest.mark.parametrize("damage", ["none", "flip-a-byte", "other-key", "a-link", "a-folder", "not-a-tar"])
def test_an_entry_travels_between_hosts_only_intact(tmp_path: Path, damage: str) -> None:
    """What one host exports another imports, checked like a read: a damaged, mislabelled or odd tar is left out."""
    import tarfile

    here, there = LocalFeatureStore(tmp_path / "a", 10**9), LocalFeatureStore(tmp_path / "b", 10**9)
    key = "a" * 64
    put(here, key, blob(0.1))
    tar = tmp_path / "entry.tar"
    assert here.export_entry(key, tar) and not here.export_entry("b" * 64, tmp_path / "none.tar")
    if damage != "none":
        unpacked = tmp_path / "x"
        with tarfile.open(tar) as t:
            t.extractall(unpacked, filter="data")
        if damage == "flip-a-byte":
            raw = bytearray((unpacked / "v.npy").read_bytes())
            raw[-5] ^= 0x40
            (unpacked / "v.npy").write_bytes(bytes(raw))
        elif damage == "other-key":
            m = json.loads((unpacked / "manifest.json").read_text())
            m["key"] = "e" * 64
            (unpacked / "manifest.json").write_text(json.dumps(m))
        elif damage == "a-link":
            (unpacked / "evil").symlink_to("/etc/passwd")
        elif damage == "a-folder":
            (unpacked / "sub").mkdir()
        tar.unlink()
        if damage == "not-a-tar":
            tar.write_bytes(b"garbage" * 100)
        else:
            with tarfile.open(tar, "w") as t:
                for p in sorted(unpacked.iterdir()):
                    t.add(p, arcname=p.name, recursive=False)
    ok = there.import_entry(key, tar)
    assert ok == (damage == "none")
    assert there.has(key) == ok and list((tmp_path / "b" / "tmp").iterdir()) == []
    if ok:
        got = there.get(key)
        assert got is not None and np.array_equal(got.data.arrays["v"], here.get(key).data.arrays["v"])  # type: ignore[union-attr]


def test_a_crashed_writers_leftovers_are_never_read_and_are_cleared(tmp_path: Path) -> None:
    store = LocalFeatureStore(tmp_path, 10**9)
    key = "f" * 64
    partial = tmp_path / "tmp" / f"{key}.12345.abcd"
    partial.mkdir()
    (partial / "v.npy").write_bytes(b"\x93NUMPY half")
    (tmp_path / "locks" / f"{'9' * 64}.lock").touch()  # a key computed but never stored
    assert store.get(key) is None
    store.evict()
    assert not partial.exists()
    assert list((tmp_path / "locks").iterdir()) == []


def test_a_second_job_computing_the_same_key_waits_then_reads_it(tmp_path: Path) -> None:
    store = LocalFeatureStore(tmp_path, 10**9)
    key = "0" * 64
    started = threading.Event()

    def first() -> None:
        with store.computing(key) as slot:
            started.set()
            time.sleep(0.6)  # computing
            slot.put({}, blob(0.1))

    thread = threading.Thread(target=first)
    thread.start()
    started.wait(5)
    t0 = time.monotonic()
    with store.computing(key) as slot:
        assert slot.owned and slot.waited and time.monotonic() - t0 > 0.3
        entry = slot.get()
        assert entry is not None and entry.data.meta == {"what": "blob"}
    thread.join()


def test_a_job_that_waited_too_long_computes_without_writing(tmp_path: Path) -> None:
    store = LocalFeatureStore(tmp_path, 10**9, lock_wait_s=0.3)
    key = "2" * 64
    with store.computing(key) as holder:
        assert holder.owned and not holder.waited
        done: dict[str, Any] = {}
        thread = threading.Thread(target=lambda: done.update(slot=store.computing(key).__enter__()))
        thread.start()
        thread.join(5)
        assert not done["slot"].owned and done["slot"].waited and done["slot"].get() is None


def test_settings_say_where_the_cache_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("QLP_HOME", "QLP_WORKER__FEATURE_CACHE_DIR", "QLP_WORKER__FEATURE_CACHE",
                "QLP_WORKER__FEATURE_CACHE_MAX_BYTES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)
    assert "no absolute cache folder" in fc.request_from_settings(HASH, {}).off_reason  # a job's cwd is its own
    monkeypatch.setenv("QLP_HOME", str(tmp_path / "home"))
    req = fc.request_from_settings(HASH, {})
    assert isinstance(req.store, LocalFeatureStore) and req.store.root == tmp_path / "home" / "feature-cache"
    assert req.store.max_bytes == 20 * 1024**3
    monkeypatch.setenv("QLP_WORKER__FEATURE_CACHE_DIR", str(tmp_path / "fc"))
    monkeypatch.setenv("QLP_WORKER__FEATURE_CACHE_MAX_BYTES", "1000")
    req = fc.request_from_settings(HASH, {})
    assert isinstance(req.store, LocalFeatureStore) and (req.store.root, req.store.max_bytes) == (tmp_path / "fc", 1000)
    monkeypatch.setenv("QLP_WORKER__FEATURE_CACHE", "false")
    assert fc.request_from_settings(HASH, {}).store is None


# ------------------------------------------------------------------------------ real handlers, in this process


@pytest.fixture(scope="module")
def qlib_market(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import qlib

    from trainers.market import generate_market

    folder = tmp_path_factory.mktemp("fc-market")
    generate_market(folder, n_instruments=10, years=1.5, seed=0)
    qlib.init(provider_uri=str(folder), region="cn", kernels=1)
    return folder


def small_dataset(infer_processors: list[Any] | None = None) -> dict[str, Any]:
    ds = demo_dataset()
    handler_kwargs(ds).update(end_time="2021-06-20", fit_end_time="2020-12-31")
    if infer_processors is not None:
        handler_kwargs(ds)["infer_processors"] = infer_processors
    ds["kwargs"]["segments"] = {"train": ["2020-01-01", "2020-12-31"], "valid": ["2021-01-01", "2021-03-31"],
                                "test": ["2021-04-01", "2021-06-20"]}
    return ds


@pytest.mark.parametrize("processors", [None, ROBUST], ids=["demo", "robust-zscore"])
def test_a_hit_restores_the_dataset_exactly(qlib_market: Path, tmp_path: Path, processors: Any) -> None:
    """Frames bit for bit (shared between attributes alike), processors' fitted state, every prepared segment,
    and the pickle Qlib saves as the run's `dataset` artifact, byte for byte."""
    from qlib.data.dataset.handler import DataHandlerLP

    config = small_dataset(processors)
    untouched = copy.deepcopy(config)
    request = FeatureRequest(HASH, {"region": "cn"}, LocalFeatureStore(tmp_path, 10**9))
    lines: list[str] = []
    first, miss = build_dataset(config, request, log=lines.append)
    second, hit = build_dataset(config, request, log=lines.append)
    assert config == untouched  # Qlib writes into handler configs: the cache gives it a copy
    assert (miss.status, hit.status) == ("miss", "hit") and miss.key == hit.key == key_of(config, qlib_init={
        "region": "cn"})
    assert lines[0].startswith(f"[qlp] feature cache miss {miss.key[:12]}: computed in ")  # type: ignore[index]
    assert ", stored (" in lines[0]
    assert lines[1].startswith(f"[qlp] feature cache hit {miss.key[:12]} (") and "MB, loaded in " in lines[1]
    assert hit.tags() == {"qlp.feature_cache": "hit", "qlp.feature_cache_key": miss.key}
    assert fc.handlers_identical(first.handler, second.handler)
    assert (first.handler._data is first.handler._infer) == (processors is None)
    assert (second.handler._data is second.handler._infer) == (processors is None)
    for seg in ("train", "valid", "test"):
        for key in (DataHandlerLP.DK_R, DataHandlerLP.DK_I, DataHandlerLP.DK_L):
            a = first.prepare(seg, col_set=["feature", "label"], data_key=key)
            b = second.prepare(seg, col_set=["feature", "label"], data_key=key)
            assert fc.frames_identical(a, b), (seg, key)
    for d in (first, second):
        d.config(dump_all=False, recursive=True)  # as the runner saves it
    assert pickle.dumps(first) == pickle.dumps(second)


def test_a_corrupt_entry_is_computed_again(qlib_market: Path, tmp_path: Path) -> None:
    store = LocalFeatureStore(tmp_path, 10**9)
    request = FeatureRequest(HASH, {}, store)
    config = small_dataset()
    first, miss = build_dataset(config, request, log=lambda _: None)
    npy = next((tmp_path / "entries" / str(miss.key)).glob("f0.v0.npy"))
    raw = bytearray(npy.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    npy.write_bytes(bytes(raw))
    lines: list[str] = []
    second, again = build_dataset(config, request, log=lines.append)
    assert again.status == "miss" and "unreadable" in lines[0] and "checksum" in lines[0]
    assert "stored" in lines[1]
    third, hit = build_dataset(config, request, log=lines.append)
    assert hit.status == "hit"
    assert fc.handlers_identical(first.handler, second.handler)
    assert fc.handlers_identical(first.handler, third.handler)


def test_what_the_cache_cannot_hold_still_runs(qlib_market: Path, tmp_path: Path) -> None:
    lines: list[str] = []
    small = FeatureRequest(HASH, {}, LocalFeatureStore(tmp_path, max_bytes=1000))
    _, outcome = build_dataset(small_dataset(), small, log=lines.append)
    assert outcome.status == "miss" and "not stored: " in lines[0] and "more than the cache holds" in lines[0]
    assert small.store is not None and list((tmp_path / "entries").iterdir()) == []
    off = FeatureRequest(HASH, {}, None, "switched off")
    dataset, outcome = build_dataset(small_dataset(), off, log=lines.append)
    assert outcome.status == "off" and lines[-1] == "[qlp] feature cache off: switched off"
    assert outcome.tags() == {"qlp.feature_cache": "off", "qlp.feature_cache_key": key_of(small_dataset(),
                                                                                          qlib_init={})}
    assert len(dataset.prepare("test")) > 0


# ------------------------------------------------------------------------------------ two real jobs, one host


@pytest.fixture(scope="module")
def market(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from trainers.market import generate_market

    folder = tmp_path_factory.mktemp("market")
    generate_market(folder, n_instruments=20, years=2, seed=0)
    return folder


def test_the_second_of_two_identical_jobs_hits_and_gets_the_same_results(
    tmp_path: Path, market: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mlflow import MlflowClient

    monkeypatch.setenv("QLP_WORKER__FEATURE_CACHE_DIR", str(tmp_path / "feature-cache"))
    # Qlib's backtest walks a set of stock ids (Position.get_stock_list): with hash randomisation two identical
    # jobs trade in another order and end with other returns, cache or no cache
    monkeypatch.setenv("PYTHONHASHSEED", "0")
    outputs, runs = [], []
    for job_id in (51, 52):
        proc = run_runner(write_spec(tmp_path, market, DEMO.read_text(), OVERRIDES, job_id=job_id),
                          tmp_path / f"scratch-{job_id}")
        assert proc.returncode == 0, proc.stdout[-6000:]
        outputs.append(proc.stdout)
        runs.append(json.loads(protocol_lines(proc.stdout, "QLP_RESULT")[0]))
    client = MlflowClient(f"sqlite:///{tmp_path / 'mlflow.db'}")
    first, second = (client.get_run(r["run_id"]) for r in runs)
    key = first.data.tags["qlp.feature_cache_key"]
    assert len(key) == 64 and second.data.tags["qlp.feature_cache_key"] == key
    assert (first.data.tags["qlp.feature_cache"], second.data.tags["qlp.feature_cache"]) == ("miss", "hit")
    assert f"[qlp] feature cache miss {key[:12]}: computed in " in outputs[0] and ", stored (" in outputs[0]
    assert f"[qlp] feature cache hit {key[:12]} (" in outputs[1] and "MB, loaded in " in outputs[1]
    assert "feature cache miss" not in outputs[1]

    assert len(first.data.metrics) > 15 and "IC" in first.data.metrics
    nan_as_text = [{k: "nan" if v != v else v for k, v in run.data.metrics.items()} for run in (first, second)]
    assert nan_as_text[0] == nan_as_text[1]  # every metric, exactly (NaN where the first had NaN)
    assert runs[0]["metrics"] == runs[1]["metrics"]
    dl = [Path(client.download_artifacts(r["run_id"], "", str(tmp_path / f"dl-{i}"))) for i, r in enumerate(runs)]
    for export in ("pred.parquet", "label.parquet", "portfolio_analysis/report_normal_1day.parquet"):
        a, b = (pd.read_parquet(d / "exports" / export) for d in dl)
        pd.testing.assert_frame_equal(a, b, check_exact=True)
    # Qlib's own pickle of the dataset (fitted processors, no data) is the same bytes (compared, never loaded)
    assert (dl[0] / "dataset").read_bytes() == (dl[1] / "dataset").read_bytes()
    (entry,) = LocalFeatureStore(tmp_path / "feature-cache", 10**12).entries()
    assert entry["key"] == key


def test_bench_smoke() -> None:
    """`bench/feature_cache.py --smoke`: both jobs ran, the second hit with the same metrics, the ratio printed."""
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "feature_cache.py"), "--smoke"], cwd=ROOT,
                          capture_output=True, text=True, timeout=400)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    assert "metrics equal: yes" in proc.stdout
    assert "[qlp] feature cache hit " in proc.stdout
    ratio = [ln for ln in proc.stdout.splitlines() if ln.startswith("feature cache ratio (second / first): ")]
    assert len(ratio) == 1 and 0 < float(ratio[0].split(": ")[1].split()[0]) < 1.5
