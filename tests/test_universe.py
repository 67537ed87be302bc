"""Universes: the top traded instruments of each month (no look-ahead, benchmarks never in, ranges merged), given
members (checked, clipped, merged), the job's folder (the base linked plus one list), and the API end to end: a
universe job makes the next version, whose markets and instruments the API lists, and bad bodies are refused."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from qlp_core.protocol import DatasetRef, RunnerSpec, UniversePayload
from qlp_core.qlib_data import content_hash, read_calendar, read_instruments
from tests.conftest import Api
from tests.helpers import generate_dataset
from tests.test_ingest_job import log_of, play_worker
from trainers.market import generate_market
from trainers.universe import (
    Universe,
    UniverseError,
    from_members,
    load_listing,
    month_starts,
    top_traded,
    traded_value,
)
from trainers.universe_job import link_tree, run

N_INSTRUMENTS, YEARS = 30, 2


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("universe") / "base"
    generate_market(root, n_instruments=N_INSTRUMENTS, years=YEARS, seed=5, start="2020-01-01", market="demo",
                    benchmark="DEMOIDX")
    return root


def members_on(u: Universe, day: date) -> set[str]:
    return {r.symbol for r in u.rows if r.start <= day <= r.end}


def naive_choice(root: Path, r: int, n: int, window: int, min_days: int) -> set[str]:
    """The rule, one instrument at a time in plain Python: the reference the vectorised one must agree with."""
    listing = load_listing(root)
    value = traded_value(root, listing)
    scores = []
    for j, symbol in enumerate(listing.symbols):
        past = value[r - window:r, j]
        traded = past[np.isfinite(past)]
        if listing.listed[r, j] and traded.size >= min_days:
            scores.append((-float(traded.mean()), symbol))
    return {s for _, s in sorted(scores)[:n]}


# ----- the rule -------------------------------------------------------------------------------------------------
def test_top_n_each_month_as_the_naive_rule_chooses(base: Path) -> None:
    u = top_traded(base, n=10, window=20)
    days = read_calendar(base)
    starts = [int(i) for i in month_starts(days) if i >= 20]
    assert u.rebalances == [days[i] for i in starts] and u.rebalances[0] == date(2020, 2, 3)
    assert u.sizes == [10] * len(starts)
    for i in starts:
        assert members_on(u, days[i]) == naive_choice(base, i, 10, 20, 10), days[i]
    # before the first rebalance nobody is a member; each range starts on a rebalance day and ends on the last
    # trading day before one (or the calendar's last day)
    assert min(r.start for r in u.rows) == u.rebalances[0]
    ends = {days[i - 1] for i in starts[1:]} | {days[-1]}
    assert {r.start for r in u.rows} <= set(u.rebalances) and {r.end for r in u.rows} <= ends


def test_fewer_members_where_fewer_are_eligible(base: Path) -> None:
    u = top_traded(base, n=50, window=20, min_days=20)
    listing = load_listing(base)
    value = traded_value(base, listing)
    days = listing.days
    for k, day in enumerate(u.rebalances):
        r = days.index(day)
        eligible = listing.listed[r] & (np.isfinite(value[r - 20:r]).sum(axis=0) >= 20)
        assert u.sizes[k] == int(eligible.sum()) == len(members_on(u, day)) <= N_INSTRUMENTS
    assert min(u.sizes) < N_INSTRUMENTS  # the late listings are not eligible at first
    assert any("fewer than 50" in note for note in u.notes)


def test_ranges_merge_and_benchmarks_are_never_members(base: Path) -> None:
    u = top_traded(base, n=N_INSTRUMENTS + 5, window=20)  # everyone eligible is in, every month
    assert "DEMOIDX" not in {r.symbol for r in u.rows}
    days = read_calendar(base)
    nxt = {d: days[i + 1] for i, d in enumerate(days[:-1])}
    by_symbol: dict[str, list[Any]] = {}
    for row in u.rows:
        by_symbol.setdefault(row.symbol, []).append(row)
    # contiguous months are one range: members throughout, each instrument has exactly one row to the last day
    assert all(len(rows) == 1 and rows[0].end == days[-1] for rows in by_symbol.values())
    small = top_traded(base, n=5, window=20)
    assert len(small.rows) < sum(small.sizes)  # months in a row were merged
    for a, b in zip(small.rows, small.rows[1:], strict=False):
        if a.symbol == b.symbol:
            assert a.end < b.start and nxt[a.end] != b.start, (a, b)  # never two touching ranges


def _scale_from(root: Path, symbols: list[str], field: str, first: int, factor: float) -> None:
    """Multiply one field's values from calendar index ``first`` on (files are float32 with the start index first)."""
    for s in symbols:
        path = root / "features" / s.lower() / f"{field}.day.bin"
        data = np.fromfile(path, dtype="<f4")
        start = int(data[0])
        data[1 + max(first - start, 0):] *= factor
        data.tofile(path)


def test_no_look_ahead(base: Path, tmp_path: Path) -> None:
    before = top_traded(base, n=5, window=20)
    k = 6
    day = before.rebalances[k]
    days = read_calendar(base)
    r = days.index(day)
    changed = tmp_path / "changed"
    shutil.copytree(base, changed)
    losers = sorted(set(load_listing(base).symbols) - members_on(before, day))
    # from the rebalance day on, the instruments left out trade a thousand times as much
    _scale_from(changed, losers, "volume", r, 1000.0)
    after = top_traded(changed, n=5, window=20)
    for d in before.rebalances[:k + 1]:
        assert members_on(after, d) == members_on(before, d), d
    assert members_on(after, before.rebalances[k + 1]) != members_on(before, before.rebalances[k + 1])


def test_amount_is_the_traded_value_where_present(base: Path, tmp_path: Path) -> None:
    folder = tmp_path / "amount"
    shutil.copytree(base, folder)
    quiet = "SYN0003"
    close = np.fromfile(folder / "features" / quiet.lower() / "close.day.bin", dtype="<f4")
    amount = close.copy()
    amount[1:] = 1e15  # by far the most traded, whatever its close and volume say
    amount.tofile(folder / "features" / quiet.lower() / "amount.day.bin")
    u = top_traded(folder, n=1, window=20)
    assert {r.symbol for r in u.rows} == {quiet}


def test_a_calendar_too_short_for_the_window_is_refused(base: Path) -> None:
    with pytest.raises(UniverseError, match="no month starts after a full window of 600"):
        top_traded(base, n=5, window=600)
    with pytest.raises(UniverseError, match="min_days"):
        top_traded(base, n=5, window=20, min_days=21)


# ----- given members --------------------------------------------------------------------------------------------
def test_members_are_normalised_clipped_and_merged(base: Path) -> None:
    listing = {r.symbol: r for r in read_instruments(base, "all")}
    late = next(s for s, r in listing.items() if r.start > date(2020, 1, 1))
    u = from_members(base, [
        ("syn0001", "2020-02-03", "2020-02-28"),
        ("SYN0001", date(2020, 3, 2), date(2020, 3, 31)),  # the next trading day: one range
        ("SYN0001", "2020-03-15", "2020-04-10"),  # overlapping: one range
        ("SYN0002", "2021-06-01", "2021-06-30"),
        (late, "2019-06-01", (listing[late].start + timedelta(days=30)).isoformat()),  # before its listing: clipped
        ("SYN0004", "2010-01-01", "2010-12-31"),  # wholly before the calendar: left out, said
    ])
    rows = {(r.symbol, r.start, r.end) for r in u.rows}
    assert ("SYN0001", date(2020, 2, 3), date(2020, 4, 10)) in rows
    assert ("SYN0002", date(2021, 6, 1), date(2021, 6, 30)) in rows
    [clipped] = [r for r in u.rows if r.symbol == late]
    assert clipped.start == listing[late].start
    assert len(u.rows) == 3 and any("SYN0004 2010-01-01..2010-12-31" in n for n in u.notes)


def test_members_refusals_name_the_rows(base: Path) -> None:
    with pytest.raises(UniverseError) as exc:
        from_members(base, [("NOPE1", "2020-02-03", "2020-03-01"), ("600000.SH", "2020-02-03", "2020-03-01"),
                            ("DEMOIDX", "2020-02-03", "2020-03-01"), ("SYN0001", "2020-03-01", "2020-02-01"),
                            ("SYN0002", "2020-13-01", "2020-02-01"), ("../x", "2020-01-02", "2020-01-03")])
    text = str(exc.value)
    for named in ("NOPE1", "SH600000", "benchmarks (never members): DEMOIDX", "row 4 (SYN0001): 2020-03-01..2020-02-01",
                  "row 5 (SYN0002)", "row 6", "path"):
        assert named in text, (named, text)
    with pytest.raises(UniverseError, match="shares a day"):
        from_members(base, [("SYN0001", "2010-01-01", "2010-02-01")])


# ----- the job's folder ----------------------------------------------------------------------------------------
def test_the_job_writes_the_base_linked_plus_one_list(base: Path, tmp_path: Path, capsys: Any) -> None:
    frozen = tmp_path / "frozen"
    shutil.copytree(base, frozen)
    before = content_hash(frozen)
    ref = DatasetRef(id=1, name="demo", version=1, path=str(frozen), hash=before).model_dump()
    out = tmp_path / "job" / "output"
    spec = RunnerSpec.model_validate({
        "job_id": 1, "user": "u", "tracking_uri": "", "result_path": str(tmp_path / "job" / "result.json"),
        "output_dir": str(out), "payload": {"kind": "universe", "dataset": ref, "market": "demo", "rule": {"n": 4}}})
    assert run(spec) == 0
    printed = capsys.readouterr().out
    assert "[qlp] universe demo of demo@v1" in printed and "(replacing the base's)" in printed
    assert content_hash(frozen) == before  # the base is as it was
    rows = read_instruments(out, "demo")
    assert {r.symbol for r in rows} <= {f"SYN{i:04d}" for i in range(N_INSTRUMENTS)} and len(rows) >= 4
    assert read_instruments(frozen, "demo") != rows
    same = [p.relative_to(frozen) for p in frozen.rglob("*") if p.is_file()]
    assert sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file()) == sorted(same)
    close = Path("features/syn0001/close.day.bin")
    assert (out / close).stat().st_ino == (frozen / close).stat().st_ino  # linked, not copied
    # refused: the QLP_ERROR line names the symbol, exit code 2
    nope = [{"symbol": "NOPE9", "start": "2020-02-03", "end": "2020-03-02"}]
    bad = spec.model_copy(update={"output_dir": str(tmp_path / "bad"), "payload": UniversePayload.model_validate(
        {"dataset": ref, "market": "mine", "members": nope})})
    assert run(bad) == 2
    assert "QLP_ERROR universe mine refused: members refused: 1 unknown symbols" in capsys.readouterr().out
    assert not (tmp_path / "bad").exists()


def test_link_tree_copies_where_it_cannot_link(base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    def refuse(*_: Any) -> None:
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", refuse)
    linked, copied = link_tree(base, tmp_path / "copy", skip=frozenset({"instruments/demo.txt"}))
    assert linked == 0 and copied == sum(1 for p in base.rglob("*") if p.is_file()) - 1
    assert not (tmp_path / "copy" / "instruments" / "demo.txt").exists()


def test_rule_on_300_instruments_over_10_years_is_quick(tmp_path: Path) -> None:
    import time

    root = tmp_path / "big"
    generate_market(root, n_instruments=300, years=10, seed=1)
    t0 = time.monotonic()
    u = top_traded(root, n=50, window=60)
    assert time.monotonic() - t0 < 3 and set(u.sizes) == {50}


# ----- through the API and a worker ----------------------------------------------------------------------------
def _post(api: Api, ds_id: int, body: dict[str, Any], role: str = "researcher") -> Any:
    return api.client.post(f"/api/data/datasets/{ds_id}/universes", json=body, headers=api.headers(role))


def _get(api: Api, path: str, **params: Any) -> Any:
    r = api.client.get(path, params=params, headers=api.headers("viewer"))
    assert r.status_code == 200, r.text
    return r.json()


def test_universe_jobs_through_the_api(api: Api, tmp_path: Path) -> None:
    demo = generate_dataset(api.client, api.headers("researcher"), api.trainer, tmp_path / "gen", name="demo",
                            n_instruments=N_INSTRUMENTS, years=YEARS, seed=5)
    r = _post(api, demo["id"], {"market": "Top10", "rule": {"n": 10, "window": 20}})  # Qlib reads top10.txt
    assert r.status_code == 202, r.text
    job = r.json()
    assert job["kind"] == "universe" and job["name"] == "universe top10 of demo@v1" and job["dataset_id"] is None
    done = play_worker(api, job["id"], tmp_path / "scratch", fetch=False)
    assert done["state"] == "succeeded", (done["error"], log_of(api, job["id"]))
    v2 = _get(api, f"/api/data/datasets/{done['dataset_id']}")
    assert v2["name"] == "demo" and v2["version"] == 2 and "top10" in v2["markets"]
    assert v2["source"]["kind"] == "universe" and v2["source"]["base"] == demo["id"]
    assert v2["source"]["rule"] == {"n": 10, "window": 20, "rebalance": "monthly", "min_days": 10}
    expected = top_traded(Path(demo_path(api, demo)), n=10, window=20)
    listed = _get(api, f"/api/data/datasets/{v2['id']}/instruments", market="top10", limit=10000)
    assert [(i["symbol"], i["start"], i["end"]) for i in listed] == [
        (r.symbol, r.start.isoformat(), r.end.isoformat()) for r in expected.rows]
    markets = {m["name"]: m for m in _get(api, f"/api/data/datasets/{v2['id']}/markets")}
    assert set(markets) == {"all", "demo", "index", "top10"}
    assert markets["top10"]["source"] == "rule" and markets["all"]["source"] is None
    assert markets["top10"]["instruments"] == expected.instruments and markets["top10"]["lines"] == len(expected.rows)
    assert markets["all"]["instruments"] == N_INSTRUMENTS and markets["index"]["lines"] == 1
    assert markets["top10"]["first_day"] == "2020-02-03"
    assert "chose" in log_of(api, job["id"]) and "registered dataset demo@v2" in log_of(api, job["id"])

    # given members on the new version: any spelling, the new version lists both universes
    r = _post(api, v2["id"], {"market": "mine", "members": [
        {"symbol": "syn0001", "start": "2020-03-02", "end": "2020-06-30"},
        {"symbol": "SYN0002", "start": "2021-01-04", "end": "2021-02-26"}]})
    assert r.status_code == 202, r.text
    done = play_worker(api, r.json()["id"], tmp_path / "scratch2", fetch=True)  # a worker on another host
    assert done["state"] == "succeeded", (done["error"], log_of(api, r.json()["id"]))
    v3 = _get(api, f"/api/data/datasets/{done['dataset_id']}")
    assert v3["version"] == 3 and v3["source"]["members"] == 2
    markets = {m["name"]: m for m in _get(api, f"/api/data/datasets/{v3['id']}/markets")}
    assert markets["mine"]["source"] == "upload" and markets["top10"]["source"] == "rule"
    assert [i["symbol"] for i in _get(api, f"/api/data/datasets/{v3['id']}/instruments", market="mine")] == [
        "SYN0001", "SYN0002"]

    # an unknown symbol fails the job, naming it; nothing is registered
    r = _post(api, demo["id"], {"market": "mine", "members": [
        {"symbol": "NOPE1", "start": "2020-03-02", "end": "2020-06-30"}]})
    assert r.status_code == 202, r.text
    failed = play_worker(api, r.json()["id"], tmp_path / "scratch3", fetch=False)
    assert failed["state"] == "failed" and "NOPE1" in failed["error"] and failed["dataset_id"] is None
    assert len(_get(api, "/api/data/datasets", name="demo")) == 3


def demo_path(api: Api, ds: dict[str, Any]) -> str:
    from platform_api.data.models import Dataset
    from platform_api.db import session_scope

    assert api.settings.db.url is not None
    with session_scope(api.settings.db.url, write=False) as s:
        row = s.get(Dataset, ds["id"])
        assert row is not None
        return row.path


RULE = {"n": 5}
MEMBERS = [{"symbol": "SYN0001", "start": "2020-03-02", "end": "2020-06-30"}]


BAD_BODIES: list[tuple[dict[str, Any], str, str]] = [
    ({"market": "all", "rule": RULE}, "refused", "reserved"),
    ({"market": "INDEX", "rule": RULE}, "refused", "reserved"),
    ({"market": "m", "rule": {"n": 0}}, "validation_failed", "rule"),
    ({"market": "m", "rule": {"n": 5, "window": 4}}, "validation_failed", "rule"),
    ({"market": "m", "rule": {"n": 5, "window": 20, "min_days": 21}}, "refused", "min_days 21"),
    ({"market": "m", "rule": RULE, "members": MEMBERS}, "validation_failed", "schema"),
    ({"market": "m"}, "validation_failed", "schema"),
    ({"market": "m", "rule": None, "members": None}, "validation_failed", "schema"),
    ({"market": "m", "members": []}, "validation_failed", "members"),
    ({"market": "m", "members": [{"symbol": "SYN0001", "start": "2020-06-30", "end": "2020-03-02"}]}, "refused",
     "end before they start"),
    ({"market": "m", "members": [{"symbol": "a/b", "start": "2020-03-02", "end": "2020-06-30"}]},
     "validation_failed", "symbol"),
    ({"market": "bad name", "rule": RULE}, "validation_failed", "market"),
    ({"market": "m", "rule": {"n": "5"}}, "validation_failed", "rule"),
]


def test_bad_bodies_are_refused_and_queue_nothing(api: Api, tmp_path: Path) -> None:
    demo = generate_dataset(api.client, api.headers("researcher"), api.trainer, tmp_path / "gen", name="demo",
                            n_instruments=10, years=0.5, seed=5)
    for body, code, says in BAD_BODIES:
        r = _post(api, demo["id"], body)
        assert r.status_code == 422 and r.json()["code"] == code, (body, r.text)
        assert says in str(r.json()["detail"]), (body, r.text)
    assert int(api.client.get("/api/train", headers=api.headers("viewer")).headers["X-Total-Count"]) == 1  # the market
    assert _post(api, demo["id"], {"market": "m", "rule": RULE}, role="viewer").status_code == 403
    assert _post(api, 999999, {"market": "m", "rule": RULE}).status_code == 404
    assert api.client.get("/api/data/datasets/999999/markets", headers=api.headers("viewer")).status_code == 404
    # an archived version takes no new universe
    from platform_api.data.models import Dataset
    from platform_api.db import session_scope, utcnow

    if hasattr(Dataset, "archived_at"):
        assert api.settings.db.url is not None
        with session_scope(api.settings.db.url) as s:
            row = s.get(Dataset, demo["id"])
            assert row is not None
            row.archived_at = utcnow()
        r = _post(api, demo["id"], {"market": "m", "rule": RULE})
        assert r.status_code == 422 and r.json()["code"] == "refused" and "archived" in r.json()["detail"], r.text
