"""The validation report: broken data is rejected with each problem's symbol and dates; warnings and thresholds."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from qlp_core.qlib_data import content_hash
from trainers.ingest import (
    Bars,
    Problem,
    ReadOptions,
    ValidationConfig,
    ValidationReport,
    bars_from_frame,
    ingest,
    read_qlib_folder,
    validate_bars,
)
from trainers.ingest.export import export_bars
from trainers.market import generate_market

OPTS = ReadOptions(benchmarks=["DEMOIDX"])
PRICES = ["open", "high", "low", "close", "vwap"]


@pytest.fixture(scope="module")
def market(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    gen = tmp_path_factory.mktemp("market") / "gen"
    generate_market(gen, n_instruments=20, years=2, seed=11)
    frame = read_qlib_folder(gen).frame.copy()
    frame["symbol"] = frame["symbol"].astype(str)
    frame["date"] = frame["date"].dt.strftime("%Y-%m-%d")
    return gen, frame


def days_of(frame: pd.DataFrame) -> list[str]:
    return sorted(frame["date"].unique())


def one(report: ValidationReport, level: str, check: str, symbol: str | None) -> Problem:
    found = [p for p in getattr(report, level) if p.check == check and p.symbol == symbol]
    assert len(found) == 1, (check, symbol, report.model_dump_json(indent=1))
    return found[0]


def d(text: str) -> date:
    return date.fromisoformat(text)


def test_the_generated_market_is_clean(market: tuple[Path, pd.DataFrame]) -> None:
    _, frame = market
    report = validate_bars(bars_from_frame(frame, OPTS))
    assert report.ok and report.errors == [] and report.warnings == [] and report.omitted == {}
    assert report.instruments == 20 and report.benchmarks == ["DEMOIDX"] and report.days == 522
    assert report.first_day == d("2020-01-01") and report.rows == len(frame)


def broken(frame: pd.DataFrame) -> pd.DataFrame:
    """Duplicates, a negative price, high < low, a 20-day hole and a factor jump, each in its own instrument."""
    days = days_of(frame)
    f = frame.copy()
    dup = f[(f["symbol"] == "SYN0001") & f["date"].isin(["2020-03-02", "2020-03-03", "2020-03-04"])]
    f = pd.concat([f, dup.assign(volume=dup["volume"] + 100)], ignore_index=True)
    f.loc[(f["symbol"] == "SYN0002") & (f["date"] == "2020-04-01"), "close"] = -3.5
    m = (f["symbol"] == "SYN0003") & (f["date"] == "2020-05-04")
    f.loc[m, "high"] = f.loc[m, "low"] * 0.9
    hole = days[100:120]
    f = f[~((f["symbol"] == "SYN0004") & f["date"].isin(hole))]
    # the factor doubles from 2020-06-01 on while the raw price (close / factor) does not move: adjusted prices jump
    m = (f["symbol"] == "SYN0005") & (f["date"] >= "2020-06-01")
    f.loc[m, PRICES] *= 2
    f.loc[m, "factor"] *= 2
    return f


def test_a_broken_copy_is_rejected_with_each_problem_named(market: tuple[Path, pd.DataFrame], tmp_path: Path) -> None:
    gen, frame = market
    before = content_hash(gen)
    bad = broken(frame)
    export_bars(bars_from_frame(bad, OPTS), tmp_path / "src")  # through a CSV file, as an upload arrives
    res = ingest(tmp_path / "src", tmp_path / "out", options=OPTS)
    report = res.report
    assert not report.ok and res.written is None and not (tmp_path / "out").exists()
    checks = {(p.check, p.symbol) for p in report.errors}
    assert checks == {("duplicate_rows", "SYN0001"), ("non_positive_price", "SYN0002"),
                      ("high_below_low", "SYN0003"), ("missing_days", "SYN0004"),
                      ("factor_jump_without_price_move", "SYN0005")}, report.model_dump_json(indent=1)

    p = one(report, "errors", "duplicate_rows", "SYN0001")
    assert (p.first, p.last, p.count) == (d("2020-03-02"), d("2020-03-04"), 3)
    assert p.dates == [d("2020-03-02"), d("2020-03-03"), d("2020-03-04")]
    assert "SYN0001" in p.message and "2020-03-02..2020-03-04" in p.message

    p = one(report, "errors", "non_positive_price", "SYN0002")
    assert p.dates == [d("2020-04-01")] and p.count == 1 and "close -3.5" in p.message

    p = one(report, "errors", "high_below_low", "SYN0003")
    assert p.dates == [d("2020-05-04")] and "high" in p.message and "low" in p.message

    hole = days_of(frame)[100:120]
    p = one(report, "errors", "missing_days", "SYN0004")
    assert (p.first, p.last, p.count) == (d(hole[0]), d(hole[-1]), 20)
    assert p.dates == [d(x) for x in hole[:10]]
    assert f"20 consecutive trading days missing, {hole[0]}..{hole[-1]}" in p.message

    p = one(report, "errors", "factor_jump_without_price_move", "SYN0005")
    assert p.dates == [d("2020-06-01")] and "factor ×2.000" in p.message
    # the same day's jump of the adjusted close is a warning of its own
    assert one(report, "warnings", "extreme_jump", "SYN0005").dates == [d("2020-06-01")]
    assert content_hash(gen) == before  # nothing of the good version changed


def test_warnings_name_their_symbol_and_dates(market: tuple[Path, pd.DataFrame]) -> None:
    _, frame = market
    days = days_of(frame)
    f = frame.copy()
    f = f[~((f["symbol"] == "SYN0006") & f["date"].isin(days[200:203]))]  # a short hole
    f.loc[(f["symbol"] == "SYN0007") & f["date"].isin(days[300:305]), "volume"] = 0.0  # suspended 5 days
    m = (f["symbol"] == "SYN0008") & (f["date"] == days[150])
    f.loc[m, PRICES] *= 1.8  # a one-day spike: up and back down
    f.loc[(f["symbol"] == "SYN0009") & f["date"].isin(days[:100]), "vwap"] = np.nan
    f.loc[(f["symbol"] == "SYN0010") & f["date"].isin(days[10:12]), "factor"] = np.nan
    report = validate_bars(bars_from_frame(f, OPTS))
    assert report.ok, report.model_dump_json(indent=1)

    p = one(report, "warnings", "missing_days", "SYN0006")
    assert p.count == 3 and p.dates == [d(x) for x in days[200:203]]
    p = one(report, "warnings", "suspension", "SYN0007")
    assert (p.first, p.last, p.count) == (d(days[300]), d(days[304]), 5)
    p = one(report, "warnings", "extreme_jump", "SYN0008")
    assert p.dates == [d(days[150]), d(days[151])] and p.count == 2
    p = one(report, "warnings", "nan_ratio", "SYN0009")
    assert p.count == 100 and p.first == d(days[0]) and "vwap" in p.message
    p = one(report, "warnings", "factor_missing", "SYN0010")
    assert p.dates == [d(days[10]), d(days[11])]
    assert {p.check for p in report.warnings} == {"missing_days", "suspension", "extreme_jump", "nan_ratio",
                                                  "factor_missing"}


def test_market_wide_problems(market: tuple[Path, pd.DataFrame]) -> None:
    _, frame = market
    days = days_of(frame)
    f = frame[~frame["date"].isin(days[50:60])].drop(columns=["factor"])  # ten weekdays nobody traded
    f.loc[(f["symbol"] == "SYN0011") & (f["date"] == days[70]), "open"] = 1e6
    weekend = f[(f["symbol"] == "DEMOIDX") & (f["date"] == "2020-01-03")].assign(date="2020-01-04")  # a Saturday
    f = pd.concat([f, weekend], ignore_index=True)
    report = validate_bars(bars_from_frame(f, ReadOptions(benchmarks=["DEMOIDX", "000300.SH"])))
    assert one(report, "warnings", "calendar_weekend", None).dates == [d("2020-01-04")]
    # the Saturday is a calendar day every instrument but the index lacks: a short hole for each
    assert one(report, "warnings", "missing_days", "SYN0000").dates == [d("2020-01-04")]
    gap = one(report, "warnings", "calendar_gap", None)
    assert (gap.first, gap.last, gap.count) == (d(days[50]), d(days[59]), 10)
    assert one(report, "warnings", "factor_missing", None).count == 0
    assert one(report, "errors", "open_outside_range", "SYN0011").dates == [d(days[70])]
    assert one(report, "errors", "benchmark_missing", "SH000300")


def test_factor_and_volume_errors(market: tuple[Path, pd.DataFrame]) -> None:
    _, frame = market
    days = days_of(frame)
    f = frame.copy()
    f.loc[(f["symbol"] == "SYN0012") & (f["date"] == days[5]), "factor"] = 0.0
    f.loc[(f["symbol"] == "SYN0013") & (f["date"] == days[6]), "volume"] = -1.0
    # a legitimate 2:1 split: the factor doubles and the raw price halves, the adjusted close carries on
    m = (f["symbol"] == "SYN0014") & (f["date"] >= days[300])
    f.loc[m, "factor"] *= 2
    report = validate_bars(bars_from_frame(f, OPTS))
    assert one(report, "errors", "factor_non_positive", "SYN0012").dates == [d(days[5])]
    assert one(report, "errors", "negative_volume", "SYN0013").dates == [d(days[6])]
    assert not [p for p in report.errors + report.warnings if p.symbol == "SYN0014"]


def test_thresholds_are_configurable(market: tuple[Path, pd.DataFrame]) -> None:
    _, frame = market
    bars: Bars = bars_from_frame(broken(frame), OPTS)
    report = validate_bars(bars, ValidationConfig(max_missing_days=25, jump_threshold=2.0, factor_jump=1.5))
    assert one(report, "warnings", "missing_days", "SYN0004").count == 20
    assert not [p for p in report.errors if p.check in ("missing_days", "factor_jump_without_price_move")]
    assert not [p for p in report.warnings if p.check == "extreme_jump"]
    capped = validate_bars(bars, ValidationConfig(max_items_per_check=1, max_dates=2))
    assert one(capped, "errors", "missing_days", "SYN0004").dates == [d(x) for x in days_of(frame)[100:102]]


def test_many_problems_are_capped_and_counted(market: tuple[Path, pd.DataFrame]) -> None:
    _, frame = market
    f = frame.copy()
    f["volume"] = np.where(np.arange(len(f)) % 7 == 0, 0.0, f["volume"])  # zero-volume days everywhere
    report = validate_bars(bars_from_frame(f, OPTS), ValidationConfig(max_items_per_check=10))
    suspensions = [p for p in report.warnings if p.check == "suspension"]
    assert len(suspensions) == 10 and report.omitted["warnings/suspension"] > 100


def test_the_report_round_trips_as_json(market: tuple[Path, pd.DataFrame]) -> None:
    _, frame = market
    report = validate_bars(bars_from_frame(broken(frame), OPTS))
    again = ValidationReport.model_validate_json(report.model_dump_json())
    assert again == report and not again.ok
    assert {"errors", "warnings", "omitted", "config"} <= set(report.model_dump())


def test_missing_columns(market: tuple[Path, pd.DataFrame], tmp_path: Path) -> None:
    _, frame = market
    src = tmp_path / "src"
    export_bars(bars_from_frame(frame, OPTS), src, layout="per_instrument")
    f = src / "SYN0002.csv"
    pd.read_csv(f).drop(columns=["vwap", "factor"]).to_csv(f, index=False)
    report = ingest(src, tmp_path / "out", options=OPTS).report
    assert report.ok
    assert {(p.check, p.symbol) for p in report.warnings} == {("field_missing", "SYN0002"),
                                                             ("factor_missing", "SYN0002")}
    assert "no vwap column" in one(report, "warnings", "field_missing", "SYN0002").message
    no_close = validate_bars(bars_from_frame(frame.drop(columns=["close"]), OPTS))
    assert one(no_close, "errors", "field_missing", None).message.startswith("no close column")
