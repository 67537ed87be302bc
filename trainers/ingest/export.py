"""Bars out as CSV or Parquet (a long table or one file per instrument), every value exact: for tests and benches."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from trainers.ingest.panel import panel_of
from trainers.ingest.readers import Bars


def _table(bars: Bars, rows: np.ndarray, date_format: str, columns: dict[str, str], symbol: bool) -> pa.Table:
    frame = bars.frame
    days = np.asarray(frame["date"].to_numpy())[rows].astype("datetime64[D]")
    if date_format == "%Y-%m-%d":
        dates = pa.array(days.astype(str))
    else:
        dates = pc.strftime(pa.array(days.astype("datetime64[s]")), format=date_format)
    data: dict[str, pa.Array] = {columns.get("date", "date"): dates}
    if symbol:
        data[columns.get("symbol", "symbol")] = pa.array(np.asarray(frame["symbol"].astype(str))[rows])
    for f in bars.fields:
        data[columns.get(f, f)] = pa.array(np.asarray(frame[f].to_numpy(dtype=np.float64))[rows])
    return pa.table(data)


def export_bars(bars: Bars, out: Path, *, layout: Literal["long", "per_instrument"] = "long",
                fmt: Literal["csv", "parquet"] = "csv", date_format: str = "%Y-%m-%d",
                columns: dict[str, str] | None = None, name: str = "bars") -> list[Path]:
    """Write ``bars`` sorted by (symbol, date): one ``<name>.<fmt>`` with a symbol column, or one ``<SYMBOL>.<fmt>`` per
    instrument without it (the layout Qlib's ``dump_bin.py`` takes). Floats are written as the shortest text that reads
    back to the same float64, so a round trip is exact. ``columns`` renames ours (``{"date": "trade_date"}``)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    p = panel_of(bars)
    cols = columns or {}

    def write(table: pa.Table, path: Path) -> Path:
        if fmt == "csv":
            pacsv.write_csv(table, path, pacsv.WriteOptions(quoting_style="none"))
        else:
            pq.write_table(table, path)
        return path

    if layout == "long":
        return [write(_table(bars, p.order, date_format, cols, True), out / f"{name}.{fmt}")]
    return [write(_table(bars, p.order[p.bounds[k]:p.bounds[k + 1]], date_format, cols, False), out / f"{sym}.{fmt}")
            for k, sym in enumerate(p.symbols)]
