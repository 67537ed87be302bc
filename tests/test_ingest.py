"""Ingest: exports of the demo market and Qlib's dump_bin.py come back to the bit; bad input is refused."""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from qlp_core.qlib_data import content_hash, read_calendar, read_feature, read_instruments
from tests.helpers import ROOT, service_missing
from trainers.ingest import (
    Bars,
    IngestError,
    Limits,
    ReadOptions,
    ingest,
    normalise_symbol,
    read_bars,
    read_qlib_folder,
    write_qlib,
)
from trainers.ingest.export import export_bars
from trainers.market import generate_market

DUMP_BIN = ROOT.parent / "shared" / "reference" / "qlib_dump_bin.py"


@pytest.fixture(scope="module")
def market(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Bars]:
    """The generator's folder (20 instruments × 2 years, three of them listed late) and its bars read back."""
    gen = tmp_path_factory.mktemp("market") / "gen"
    generate_market(gen, n_instruments=20, years=2, seed=7)
    return gen, read_qlib_folder(gen)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def assert_same_folder(ours: Path, theirs: Path, *, only_ours: tuple[str, ...] = ()) -> None:
    """Same files, same bytes; every feature file equal to the bit (NaNs included) as float32 too."""
    a, b = tree(ours), tree(theirs)
    assert sorted(set(a) - set(only_ours)) == sorted(b), (sorted(set(a) ^ set(b)))[:10]
    bins = 0
    for rel, data in b.items():
        if rel.endswith(".bin"):
            x, y = np.frombuffer(a[rel], dtype="<f4"), np.frombuffer(data, dtype="<f4")
            assert x.shape == y.shape and x.tobytes() == y.tobytes(), rel
            assert np.array_equal(x, y, equal_nan=True), rel
            bins += 1
        else:
            assert a[rel] == data, rel
    assert bins > 0


def test_read_back_matches_the_generator(market: tuple[Path, Bars]) -> None:
    """The export's source is faithful: read_qlib_folder gives what qlp_core's own readers give."""
    gen, bars = market
    days = read_calendar(gen)
    assert bars.benchmarks == ["DEMOIDX"] and bars.symbols[0] == "DEMOIDX" and len(bars.symbols) == 21
    for row in read_instruments(gen, "all")[:5]:
        got = bars.frame[bars.frame["symbol"] == row.symbol]
        close = read_feature(gen, row.symbol, "close", 0, len(days))
        assert close is not None
        assert np.array_equal(got["close"].to_numpy().astype("<f4"), close[~np.isnan(close)])
        assert got["date"].iloc[0].date() == row.start


def _long_csv_gz(bars: Bars, folder: Path) -> None:
    [path] = export_bars(bars, folder, layout="long")
    with path.open("rb") as src, gzip.open(folder / "bars.csv.gz", "wb") as dst:
        shutil.copyfileobj(src, dst)
    path.unlink()


TUSHARE = {"date": "trade_date", "symbol": "ts_code", "volume": "vol"}
EXPORTS: dict[str, tuple[Any, ReadOptions]] = {
    "long CSV": (lambda b, d: export_bars(b, d, layout="long"), ReadOptions(benchmarks=["DEMOIDX"])),
    "per-instrument CSV": (lambda b, d: export_bars(b, d, layout="per_instrument"),
                           ReadOptions(benchmarks=["DEMOIDX"])),
    "long Parquet": (lambda b, d: export_bars(b, d, layout="long", fmt="parquet"),
                     ReadOptions(benchmarks=["DEMOIDX"])),
    "per-instrument Parquet": (lambda b, d: export_bars(b, d, layout="per_instrument", fmt="parquet"),
                               ReadOptions(benchmarks=["DEMOIDX"])),
    "gzipped long CSV": (_long_csv_gz, ReadOptions(benchmarks=["DEMOIDX"])),
    "Tushare-style columns, YYYYMMDD dates": (
        lambda b, d: export_bars(b, d, layout="long", date_format="%Y%m%d", columns=TUSHARE),
        ReadOptions(columns={v: k for k, v in TUSHARE.items()}, benchmarks=["demoidx"])),
}


@pytest.mark.parametrize("kind", list(EXPORTS))
def test_ingest_equals_the_generator_to_the_bit(market: tuple[Path, Bars], tmp_path: Path, kind: str) -> None:
    gen, bars = market
    export, options = EXPORTS[kind]
    export(bars, tmp_path / "src")
    res = ingest(tmp_path / "src", tmp_path / "out", options=options, market="demo")
    assert res.report.errors == [] and res.report.warnings == [], res.report.model_dump_json(indent=1)
    assert res.written is not None and res.written.instruments == 20 and res.written.benchmarks == ["DEMOIDX"]
    assert_same_folder(tmp_path / "out", gen)
    assert content_hash(tmp_path / "out") == content_hash(gen)
    assert read_calendar(tmp_path / "out") == read_calendar(gen)
    for market_name in ("all", "demo", "index"):
        assert read_instruments(tmp_path / "out", market_name) == read_instruments(gen, market_name)


def _messy_per_instrument(bars: Bars, src: Path) -> None:
    """Per-instrument CSVs with what real exports have: holes, NaN cells, a duplicated day with other values (the
    first wins), rows out of order, a file without the vwap column, a lower-case file name, a Windows device name."""
    export_bars(bars, src, layout="per_instrument")
    f = src / "SYN0001.csv"
    d = pd.read_csv(f).drop(index=range(50, 55))
    d.loc[10, "vwap"] = np.nan
    d.loc[11, ["open", "close"]] = np.nan
    d = pd.concat([d, d.iloc[[20]].assign(close=1.0)]).sample(frac=1.0, random_state=0)
    d.to_csv(f, index=False)
    f = src / "SYN0002.csv"
    pd.read_csv(f).drop(columns=["vwap"]).to_csv(f, index=False)
    (src / "SYN0003.csv").rename(src / "syn0003.csv")
    (src / "SYN0004.csv").rename(src / "CON.csv")


def test_same_bytes_as_qlib_dump_bin(market: tuple[Path, Bars], tmp_path: Path) -> None:
    """Every file to the bit, except the order of instruments/all.txt: Qlib's script lists them in the order of their
    file names (``syn0003.csv`` after ``SYN0019.csv``), ours by symbol. (The bench compares a plain input whole.)"""
    if not DUMP_BIN.is_file():
        service_missing(f"Qlib's reference script at {DUMP_BIN} (../shared/reference)")
    _, bars = market
    src = tmp_path / "src"
    _messy_per_instrument(bars, src)
    subprocess.run([sys.executable, str(DUMP_BIN), "dump_all", "--data_path", str(src), "--qlib_dir",
                    str(tmp_path / "qlib"), "--include_fields", ",".join(bars.fields), "--date_field_name", "date",
                    "--max_workers", "2"], check=True, capture_output=True, timeout=300)
    ours = read_bars(src)
    assert ours.absent == {"vwap": ["SYN0002"]}
    summary = write_qlib(ours, tmp_path / "ours")
    assert summary.files == 21 * len(bars.fields) - 1
    assert (tmp_path / "ours" / "features" / "_qlib_con" / "close.day.bin").is_file()
    listed = [tmp_path / d / "instruments" / "all.txt" for d in ("ours", "qlib")]
    assert sorted(listed[0].read_text().splitlines()) == sorted(listed[1].read_text().splitlines())
    for path in listed:
        path.write_text("".join(sorted(path.read_text().splitlines(keepends=True))))
    assert_same_folder(tmp_path / "ours", tmp_path / "qlib", only_ours=("calendars/day_future.txt",))
    close = np.fromfile(tmp_path / "ours" / "features" / "syn0001" / "close.day.bin", dtype="<f4")
    assert np.isnan(close[1 + 50:1 + 55]).all() and close[1 + 20] != np.float32(1.0)


@pytest.mark.parametrize(("raw", "expected"), [
    ("600000.SH", "SH600000"), ("sh600000", "SH600000"), ("SH600000", "SH600000"), ("600000.XSHG", "SH600000"),
    ("600000.ss", "SH600000"), ("000001.SZ", "SZ000001"), ("000001.XSHE", "SZ000001"), ("sz.000001", "SZ000001"),
    ("830799.BJ", "BJ830799"), ("aapl", "AAPL"), ("BRK-B", "BRK-B"), ("brk.b", "BRK.B"), ("^gspc", "^GSPC"),
    (" msft ", "MSFT"), ("000300", "000300"), ("00700.HK", "00700.HK"),
])
def test_symbol_forms(raw: str, expected: str) -> None:
    assert normalise_symbol(raw) == expected


def test_bare_codes_get_an_exchange_only_when_asked() -> None:
    assert normalise_symbol("600000", infer_exchange=True) == "SH600000"
    assert normalise_symbol("000001", infer_exchange=True) == "SZ000001"
    assert normalise_symbol("830799", infer_exchange=True) == "BJ830799"


def test_spellings_merge_and_the_benchmark_is_marked(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    rows = ["trade_date,ts_code,open,high,low,close,vol,factor"]
    for d in ("20240102", "20240103", "20240104"):
        rows += [f"{d},600000.SH,10,11,9,10.5,1000,1", f"{d},000300.SH,3000,3100,2900,3050,5e9,1",
                 f"{d},aapl,180,182,179,181,2e6,1"]
    rows.append("20240105,sh600000,10,11,9,10.5,1000,1")
    (src / "daily.csv").write_text("\n".join(rows) + "\n")
    res = ingest(src, tmp_path / "out", options=ReadOptions(
        columns={"trade_date": "date", "ts_code": "symbol", "vol": "volume"}, benchmarks=["SH000300"]))
    assert res.written is not None, res.report.errors
    assert [r.symbol for r in read_instruments(tmp_path / "out", "all")] == ["AAPL", "SH600000"]
    assert [r.symbol for r in read_instruments(tmp_path / "out", "index")] == ["SH000300"]
    merged = res.report.by_check("warnings")["symbols_merged"]
    assert merged[0].symbol == "SH600000" and "'600000.SH'" in merged[0].message and "'sh600000'" in merged[0].message
    assert [str(d) for d in read_calendar(tmp_path / "out")] == ["2024-01-02", "2024-01-03", "2024-01-04",
                                                                 "2024-01-05"]


def test_raw_prices_are_adjusted_as_qlib_stores_them(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "AAA.csv").write_text("date,close,volume,factor\n2024-01-02,10,100,1\n2024-01-03,5,200,2\n")
    bars = read_bars(src, options=ReadOptions(prices="raw"))
    assert bars.frame["close"].tolist() == [10.0, 10.0] and bars.frame["volume"].tolist() == [100.0, 100.0]
    with pytest.raises(IngestError, match="factor"):
        (src / "BBB.csv").write_text("date,close\n2024-01-02,1\n")
        read_bars(src, ["BBB.csv"], ReadOptions(prices="raw"))


# ------------------------------------------------------------------------------------------------------ refusals


def _small_input(folder: Path, symbols: tuple[str, ...] = ("AAA",)) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for s in symbols:
        (folder / f"{s}.csv").write_text("date,open,high,low,close,volume\n2024-01-02,1,2,0.5,1.5,10\n"
                                         "2024-01-03,1,2,0.5,1.5,10\n")
    return folder


@pytest.mark.parametrize("name", ["../outside.csv", "sub/../../outside.csv", "/etc/passwd.csv", "..\\outside.csv",
                                  "a..b.csv", "nul\0.csv"])
def test_traversal_in_names_is_refused(tmp_path: Path, name: str) -> None:
    src = _small_input(tmp_path / "src")
    _small_input(tmp_path, ("outside",))
    with pytest.raises(IngestError, match=r"'\.\.'|absolute") as exc:
        read_bars(src, [name])
    assert exc.value.code == "path_refused"


def test_a_listed_name_with_dots_is_refused(tmp_path: Path) -> None:
    src = _small_input(tmp_path / "src")
    (src / "AAA..B.csv").write_text((src / "AAA.csv").read_text())
    with pytest.raises(IngestError, match=r"holds '\.\.'"):
        read_bars(src)


def test_symlinks_are_refused(tmp_path: Path) -> None:
    outside = _small_input(tmp_path / "outside", ("SECRET",))
    src = _small_input(tmp_path / "src")
    os.symlink(outside / "SECRET.csv", src / "LINK.csv")
    with pytest.raises(IngestError, match="symbolic link") as exc:
        read_bars(src)
    assert exc.value.code == "symlink"
    with pytest.raises(IngestError, match="symbolic link"):
        read_bars(src, ["LINK.csv"])
    (src / "LINK.csv").unlink()
    os.symlink(outside, src / "sub")
    with pytest.raises(IngestError, match="symbolic link"):
        read_bars(src, ["sub/SECRET.csv"])
    assert read_bars(src).symbols == ["AAA"]  # the symlinked folder is not listed, the plain file is read


@pytest.mark.parametrize(("limits", "what"), [
    (Limits(max_rows=3), "rows"), (Limits(max_files=2), "files"), (Limits(max_file_bytes=40), "bytes"),
    (Limits(max_total_bytes=150), "bytes"), (Limits(max_columns=4), "columns"), (Limits(max_values=20), "values"),
])
def test_oversized_input_is_refused(tmp_path: Path, limits: Limits, what: str) -> None:
    src = _small_input(tmp_path / "src", ("AAA", "BBB", "CCC"))
    with pytest.raises(IngestError, match=what) as exc:
        read_bars(src, options=ReadOptions(limits=limits))
    assert exc.value.code == "too_large"


@pytest.mark.parametrize("fmt", ["csv.gz", "parquet"])
def test_row_limit_holds_for_compressed_input(tmp_path: Path, fmt: str) -> None:
    src = tmp_path / "src"
    src.mkdir()
    frame = pd.DataFrame({"date": pd.bdate_range("2000-01-03", periods=5000).strftime("%Y-%m-%d"),
                          "symbol": "AAA", "close": 1.0})
    if fmt == "parquet":
        frame.to_parquet(src / "big.parquet")
    else:
        frame.to_csv(src / "big.csv.gz", index=False)
    assert (src / f"big.{fmt}").stat().st_size < 40_000  # small on disk, many rows inside
    with pytest.raises(IngestError, match="more than 1,000 rows"):
        read_bars(src, options=ReadOptions(limits=Limits(max_rows=1000)))


FORMULAS = ["=cmd|' /C calc'!A0", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", " =HYPERLINK(\"x\")", "\t=1"]


@pytest.mark.parametrize("symbol", FORMULAS)
def test_formula_injection_in_symbols_is_refused(tmp_path: Path, symbol: str) -> None:
    src = tmp_path / "src"
    src.mkdir()
    quoted = '"' + symbol.replace('"', '""') + '"'
    (src / "bars.csv").write_text(f"date,symbol,close\n2024-01-02,AAA,1\n2024-01-02,{quoted},1\n")
    with pytest.raises(IngestError, match="formula") as exc:
        read_bars(src)
    assert exc.value.code == "formula_injection"
    assert "bars.csv" in str(exc.value)


def test_formula_in_a_file_name_is_refused(tmp_path: Path) -> None:
    src = _small_input(tmp_path / "src")
    (src / "=cmd|' calc'!A0.csv").write_text((src / "AAA.csv").read_text())
    with pytest.raises(IngestError, match="formula") as exc:
        read_bars(src)
    assert exc.value.code == "formula_injection"


@pytest.mark.parametrize(("text", "code", "match"), [
    ("day,close\n2024-01-02,1\n", "bad_column", "no date column"),
    ("date,close,name\n2024-01-02,1,abc\n", "bad_value", "'name' is not numeric"),
    ("date,close\n2024-13-45,1\n", "bad_date", "do not read as"),
    ("date,close\n02/01/2024,1\n", "bad_date", "give date_format"),
    ("date,close\n2024-01-02 09:30:00,1\n", "bad_date", "not a whole day"),
    ("date,close\n,1\n", "bad_date", "no date"),
    ("date,symbol,close\n2024-01-02,A/B,1\n", "bad_symbol", "path"),
    ("date,symbol,close\n2024-01-02,,1\n", "bad_symbol", "no symbol"),
    ("date,close,Close\n2024-01-02,1,2\n", "bad_column", "both become 'close'"),
    ("date,symbol,close\n", "empty", "no rows"),
    ("date,symbol,close;rm\n2024-01-02,A,1\n", "bad_column", "not a field name"),
])
def test_bad_content_is_refused_with_a_reason(tmp_path: Path, text: str, code: str, match: str) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "AAA.csv").write_text(text)
    with pytest.raises(IngestError, match=re.escape(match)) as exc:
        read_bars(src)
    assert exc.value.code == code


def test_date_formats(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for name, dates in (("A", ["2024-01-02", "2024-01-03"]), ("B", ["20240102", "20240103"]),
                        ("C", ["2024/01/02", "2024/01/03"]), ("D", ["2024-01-02 00:00:00", "2024-01-03T00:00:00"])):
        (src / f"{name}.csv").write_text("date,close\n" + "".join(f"{d},1\n" for d in dates))
    for name in "ABCD":
        bars = read_bars(src, [f"{name}.csv"])
        assert [str(d.date()) for d in bars.frame["date"]] == ["2024-01-02", "2024-01-03"], name
    (src / "E.csv").write_text("date,close\n02.01.2024,1\n")
    bars = read_bars(src, ["E.csv"], ReadOptions(date_format="%d.%m.%Y"))
    assert str(bars.frame["date"].iloc[0].date()) == "2024-01-02"


def test_writer_needs_an_empty_folder(market: tuple[Path, Bars], tmp_path: Path) -> None:
    _, bars = market
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("x")
    with pytest.raises(IngestError, match="not empty") as exc:
        write_qlib(bars, tmp_path / "out")
    assert exc.value.code == "output_not_empty"
    assert (tmp_path / "out" / "keep.txt").read_text() == "x"
    with pytest.raises(IngestError, match="market name"):
        write_qlib(bars, tmp_path / "other", market="../x")


def test_the_bench_runs_in_smoke_mode() -> None:
    """`bench/ingest.py --smoke`: both writers on the same input, equal output, the figures and the ratio line."""
    if not DUMP_BIN.is_file():
        service_missing(f"Qlib's reference script at {DUMP_BIN} (../shared/reference)")
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "ingest.py"), "--smoke"], cwd=ROOT, text=True,
                         capture_output=True, timeout=300)
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-4000:]
    assert re.search(r"^outputs equal to the bit: yes", out.stdout, re.MULTILINE), out.stdout
    m = re.search(r"^ingest ratio \(ours / Qlib's time\): ([0-9.]+)\s+target <= 0\.5$", out.stdout, re.MULTILINE)
    assert m and float(m.group(1)) > 0, out.stdout
