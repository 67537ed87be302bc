"""Browsing a dataset version's Qlib folder through the API: instrument lists, the calendar and daily bars
(adjusted as Qlib stores them, or raw), with the refusals on the way (unknown symbols, paths, windows too long,
files gone)."""

from __future__ import annotations

import math
import shutil
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from qlp_core.qlib_data import make_writable, write_calendar, write_instruments, write_series
from tests.conftest import Api
from tests.helpers import generate_dataset

NAN = float("nan")
DAYS = [(date(2021, 1, 4) + timedelta(days=i)).isoformat() for i in range(10)]


def url(ds: dict[str, Any], what: str) -> str:
    return f"/api/data/datasets/{ds['id']}/{what}"


def get(api: Api, path: str, role: str = "viewer", **params: Any) -> Any:
    r = api.client.get(path, params=params, headers=api.headers(role))
    assert r.status_code == 200, r.text
    return r.json()


def refused(api: Api, path: str, status: int, **params: Any) -> dict[str, Any]:
    r = api.client.get(path, params=params, headers=api.headers("viewer"))
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    return dict(r.json())


def import_folder(api: Api, folder: Path, name: str) -> dict[str, Any]:
    root = api.settings.storage.import_dir
    assert root is not None
    shutil.copytree(folder, root / name)
    r = api.client.post("/api/data/datasets", headers=api.headers("admin"),
                        json={"name": name, "source": {"kind": "folder", "path": name}})
    assert r.status_code == 201, r.text
    return dict(r.json())


def hand_made(folder: Path, days: list[str] = DAYS) -> None:
    """Two stocks, one listed late (BRK-B) with a split (factor 1 → 2) and a missing close; an index without a volume
    file; and a feature folder for a symbol that no list names."""
    write_calendar(folder, days)
    features = folder / "features"
    n = len(days)
    write_series(features, "SH600000", {
        "open": np.arange(n) + 10.0, "high": np.arange(n) + 11.0, "low": np.arange(n) + 9.0,
        "close": np.arange(n) + 10.5, "volume": np.full(n, 1000.0), "factor": np.ones(n)}, 0)
    late = n - 2
    factor = np.array([1.0] * (late // 2) + [2.0] * (late - late // 2))
    close = np.arange(late) * 2.0 + 20.0
    close[3] = NAN
    write_series(features, "BRK-B", {
        "open": close, "high": close + 1, "low": close - 1, "close": close, "volume": np.full(late, 500.0),
        "factor": factor}, 2)
    write_series(features, "IDX", {f: np.full(n, 100.0) for f in ("open", "high", "low", "close", "factor")}, 0)
    write_series(features, "GHOST", {"close": np.ones(n)}, 0)
    stocks = [("SH600000", days[0], days[-1]), ("BRK-B", days[2], days[-1])]
    write_instruments(folder, "all", stocks)
    write_instruments(folder, "mkt", stocks[1:])
    write_instruments(folder, "index", [("IDX", days[0], days[-1])])


@pytest.fixture
def hand(api: Api, tmp_path: Path) -> dict[str, Any]:
    hand_made(tmp_path / "hand")
    return import_folder(api, tmp_path / "hand", "hand")


def test_instruments_of_a_market(api: Api, hand: dict[str, Any]) -> None:
    assert get(api, url(hand, "instruments")) == [
        {"symbol": "SH600000", "start": DAYS[0], "end": DAYS[-1]},
        {"symbol": "BRK-B", "start": DAYS[2], "end": DAYS[-1]}]
    assert get(api, url(hand, "instruments"), q="brk") == [{"symbol": "BRK-B", "start": DAYS[2], "end": DAYS[-1]}]
    assert get(api, url(hand, "instruments"), q="600") == []  # a prefix, not a substring
    assert [r["symbol"] for r in get(api, url(hand, "instruments"), limit=1)] == ["SH600000"]
    assert [r["symbol"] for r in get(api, url(hand, "instruments"), limit=1, offset=1)] == ["BRK-B"]
    assert [r["symbol"] for r in get(api, url(hand, "instruments"), market="index")] == ["IDX"]
    assert [r["symbol"] for r in get(api, url(hand, "instruments"), market="mkt")] == ["BRK-B"]
    assert "has no market 'nope'" in refused(api, url(hand, "instruments"), 404, market="nope")["detail"]
    for bad in ({"market": "../all"}, {"market": "a/b"}, {"limit": 0}, {"limit": 10001}, {"q": "x" * 65}):
        assert refused(api, url(hand, "instruments"), 422, **bad)["code"] == "validation_failed"


def test_calendar_window(api: Api, hand: dict[str, Any]) -> None:
    assert get(api, url(hand, "calendar")) == {"dates": DAYS}
    assert get(api, url(hand, "calendar"), start=DAYS[3], end=DAYS[5]) == {"dates": DAYS[3:6]}
    assert get(api, url(hand, "calendar"), start="2020-01-01", end=DAYS[0]) == {"dates": DAYS[:1]}
    assert get(api, url(hand, "calendar"), start="2030-01-01") == {"dates": []}
    r = refused(api, url(hand, "calendar"), 422, start=DAYS[5], end=DAYS[3])
    assert r["code"] == "refused" and "is after end" in r["detail"]
    for day in ("yesterday", "0.0", "1609459200", "2021-1-4", "2021-02-30", "2021-01-04T00:00:00"):
        assert refused(api, url(hand, "calendar"), 422, start=day)["code"] == "validation_failed", day
        assert refused(api, url(hand, "bars"), 422, symbol="BRK-B", end=day)["code"] == "validation_failed", day


def test_bars_adjusted_and_raw(api: Api, hand: dict[str, Any]) -> None:
    adj = get(api, url(hand, "bars"), symbol="BRK-B")
    assert adj["symbol"] == "BRK-B" and adj["adjust"] == "adjusted" and adj["dates"] == DAYS[2:]
    assert adj["close"] == [20.0, 22.0, 24.0, None, 28.0, 30.0, 32.0, 34.0]  # NaN → null
    assert adj["factor"] == [1.0] * 4 + [2.0] * 4 and adj["volume"] == [500.0] * 8
    assert adj["high"][0] == 21.0 and adj["low"][0] == 19.0 and adj["open"] == adj["close"]
    raw = get(api, url(hand, "bars"), symbol="brk-b", adjust="raw")  # any case; the list's spelling answers
    assert raw["symbol"] == "BRK-B" and raw["adjust"] == "raw" and raw["dates"] == adj["dates"]
    # Qlib stores price × factor and volume ÷ factor: raw is price ÷ factor, volume × factor
    assert raw["close"] == [20.0, 22.0, 24.0, None, 14.0, 15.0, 16.0, 17.0]
    assert raw["volume"] == [500.0] * 4 + [1000.0] * 4 and raw["factor"] == adj["factor"]
    # a window inside the listing; one that starts before it starts at the listing
    part = get(api, url(hand, "bars"), symbol="SH600000", start=DAYS[1], end=DAYS[2])
    assert part["dates"] == DAYS[1:3] and part["open"] == [11.0, 12.0] and part["close"] == [11.5, 12.5]
    assert get(api, url(hand, "bars"), symbol="BRK-B", start=DAYS[0], end=DAYS[2])["dates"] == [DAYS[2]]
    assert get(api, url(hand, "bars"), symbol="BRK-B", end=DAYS[1])["dates"] == []
    # benchmarks are instruments too; a field without a file is null throughout
    idx = get(api, url(hand, "bars"), symbol="IDX", start=DAYS[8])
    assert idx["close"] == [100.0, 100.0] and idx["volume"] == [None, None]
    assert get(api, url(hand, "bars"), symbol="IDX", start=DAYS[8], adjust="raw")["volume"] == [None, None]


def test_bars_refusals(api: Api, hand: dict[str, Any]) -> None:
    bars = url(hand, "bars")
    # a feature folder that no instrument list names is not read
    assert "has no instrument 'GHOST'" in refused(api, bars, 404, symbol="GHOST")["detail"]
    assert refused(api, bars, 404, symbol="NOPE")["code"] == "not_found"
    for symbol in ("../all", "..", "a/b", "a..b", ".hidden", "x" * 65, "a b", "", "SH600000/../x", "é"):
        assert refused(api, bars, 422, symbol=symbol)["code"] == "validation_failed", symbol
    assert refused(api, bars, 422)["code"] == "validation_failed"  # symbol is required
    assert refused(api, bars, 422, symbol="BRK-B", adjust="split")["code"] == "validation_failed"
    assert refused(api, bars, 422, symbol="BRK-B", start=DAYS[4], end=DAYS[3])["code"] == "refused"
    assert refused(api, "/api/data/datasets/999/bars", 404, symbol="BRK-B")["detail"] == "no such dataset"
    assert api.client.get(bars, params={"symbol": "BRK-B"}).status_code == 401


def test_bars_are_capped(api: Api, tmp_path: Path) -> None:
    days = [(date(2000, 1, 1) + timedelta(days=i)).isoformat() for i in range(5100)]
    hand_made(tmp_path / "long", days)
    ds = import_folder(api, tmp_path / "long", "long")
    # no start: the last 5,000 bars to the end
    latest = get(api, url(ds, "bars"), symbol="SH600000")
    assert len(latest["dates"]) == 5000 and latest["dates"][-1] == days[-1] and latest["dates"][0] == days[100]
    assert latest["open"][0] == 110.0 and latest["open"][-1] == 5109.0
    r = refused(api, url(ds, "bars"), 422, symbol="SH600000", start=days[0])
    assert r["code"] == "refused" and "5100 bars" in r["detail"] and "at most 5000" in r["detail"]
    assert len(get(api, url(ds, "bars"), symbol="SH600000", start=days[0], end=days[4999])["dates"]) == 5000


def test_files_gone_or_damaged_are_410(api: Api, hand: dict[str, Any]) -> None:
    folder = Path(api.settings.storage.datasets_dir or "") / "hand" / "v1"
    make_writable(folder)
    (folder / "calendars" / "day.txt").write_text("not a date\n")
    r = refused(api, url(hand, "bars"), 410, symbol="BRK-B")
    assert r["code"] == "gone" and "damaged" in r["detail"] and "not a YYYY-MM-DD date" in r["detail"]
    (folder / "features" / "brk-b" / "close.day.bin").write_bytes(b"")
    (folder / "calendars" / "day.txt").write_text("\n".join(DAYS) + "\n")
    assert "has no start index" in refused(api, url(hand, "bars"), 410, symbol="BRK-B")["detail"]
    shutil.rmtree(folder)
    for what, params in (("instruments", {}), ("calendar", {}), ("bars", {"symbol": "BRK-B"})):
        r = refused(api, url(hand, what), 410, **params)
        assert r["code"] == "gone" and "are gone from" in r["detail"]


def test_a_generated_market_reads_back_as_written(api: Api, tmp_path: Path) -> None:
    ds = generate_dataset(api.client, api.headers("researcher"), api.trainer, tmp_path / "gen", n_instruments=20,
                          years=0.5)
    folder = tmp_path / "gen"
    rows = get(api, url(ds, "instruments"), role="researcher")
    assert len(rows) == 20 and rows[0]["symbol"] == "SYN0000"
    days = (folder / "calendars" / "day.txt").read_text().split()
    assert get(api, url(ds, "calendar"))["dates"] == days
    late = next(r for r in rows if r["start"] != days[0])  # a tenth list later than the calendar starts
    bars = get(api, url(ds, "bars"), symbol=late["symbol"])
    assert bars["dates"] == days[days.index(late["start"]):]
    for field in ("open", "high", "low", "close", "volume", "factor"):
        raw = np.fromfile(folder / "features" / late["symbol"].lower() / f"{field}.day.bin", dtype="<f4")
        assert int(raw[0]) == days.index(late["start"])
        assert np.array_equal(np.array(bars[field], dtype="<f4"), raw[1:]), field
    assert all(not math.isnan(v) for v in bars["close"])
    assert get(api, url(ds, "bars"), symbol=late["symbol"], adjust="raw")["close"] == bars["close"]  # factor 1
