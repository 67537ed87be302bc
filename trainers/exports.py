"""Safe copies of what a Qlib workflow's records produce: Parquet and JSON beside Qlib's pickles (which the
platform never loads), positions as a table, LightGBM's own text model."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

_SAFE_PART = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")


def is_pandas(obj: Any) -> bool:
    import pandas as pd

    return isinstance(obj, (pd.DataFrame, pd.Series))


def frame_for_parquet(obj: pd.DataFrame | pd.Series, default_name: str = "value") -> pd.DataFrame:
    """A copy with unique string column names and the index moved into columns, as Parquet wants."""
    import pandas as pd

    if isinstance(obj, pd.Series):
        df = obj.to_frame(name=str(obj.name) if obj.name is not None else default_name)
    else:
        df = obj.copy()
    if isinstance(df.columns, pd.MultiIndex):
        names = [".".join(str(p) for p in col if str(p) != "") or "value" for col in df.columns]
    else:
        names = [str(c) for c in df.columns]
    df.columns = _unique(names)
    if not isinstance(df.index, pd.RangeIndex):
        if df.index.nlevels == 1 and df.index.name is None:
            index_names = ["datetime" if isinstance(df.index, pd.DatetimeIndex) else "index"]
        else:
            index_names = [str(n) if n is not None else f"level_{i}" for i, n in enumerate(df.index.names)]
        taken = set(df.columns)
        index_names = _unique(index_names, taken)
        df.index = df.index.set_names(index_names)
        df = df.reset_index()
    return df


def _unique(names: list[str], taken: set[str] | None = None) -> list[str]:
    seen = set(taken or ())
    out = []
    for name in names:
        candidate, n = name, 1
        while candidate in seen:
            n += 1
            candidate = f"{name}_{n}"
        seen.add(candidate)
        out.append(candidate)
    return out


def write_parquet(obj: pd.DataFrame | pd.Series, path: Path, default_name: str = "value") -> None:
    df = frame_for_parquet(obj, default_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        df.to_parquet(path, index=False)
    except (TypeError, ValueError, ArithmeticError, ImportError) as first:
        # Mixed-type object columns: keep them as text rather than lose the export.
        objects = df.select_dtypes(include=["object"]).columns
        if len(objects) == 0:
            raise first
        df[objects] = df[objects].astype(str)
        df.to_parquet(path, index=False)


def frame_to_jsonable(obj: pd.DataFrame | pd.Series) -> Any:
    """Nested dicts keyed by the index levels (one column) or by column, then index levels."""
    import pandas as pd

    if isinstance(obj, pd.DataFrame):
        if obj.shape[1] == 1:
            return frame_to_jsonable(obj.iloc[:, 0])
        return {str(c): frame_to_jsonable(obj[c]) for c in obj.columns}
    out: dict[str, Any] = {}
    for key, value in obj.items():
        parts = key if isinstance(key, tuple) else (key,)
        node = out
        for part in parts[:-1]:
            node = node.setdefault(str(part), {})
        node[str(parts[-1])] = jsonable_number(value)
    return out


def jsonable_number(value: Any) -> Any:
    """A float for JSON, None for NaN/inf; non-numbers as text."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None if value is None else str(value)
    return number if math.isfinite(number) else None


def positions_frame(positions: dict[Any, Any]) -> pd.DataFrame:
    """Qlib's {date: Position} into rows: datetime, instrument, amount, price, weight, ..., cash, account value."""
    import pandas as pd

    rows = []
    for day, position in positions.items():
        holding = getattr(position, "position", position)
        if not isinstance(holding, dict):
            continue
        common = {
            "datetime": pd.Timestamp(day),
            "cash": jsonable_number(holding.get("cash")),
            "account_value": jsonable_number(holding.get("now_account_value")),
        }
        stocks = {k: v for k, v in holding.items() if isinstance(v, dict)}
        if not stocks:
            rows.append({**common, "instrument": None})
        for code, info in stocks.items():
            rows.append({**common, "instrument": str(code), **{str(k): jsonable_number(v) for k, v in info.items()}})
    return pd.DataFrame(rows)


def write_exports(objects: dict[str, Any], out_dir: Path) -> list[str]:
    """Safe copies of the records' objects under ``out_dir``; returns the relative paths written.

    DataFrames/Series become Parquet (risk/indicator analyses JSON), positions a Parquet table;
    anything else (the model, the dataset) is skipped here.
    """
    written: list[str] = []
    for key, obj in objects.items():
        parts = key.split("/")
        if not all(_SAFE_PART.fullmatch(p) and ".." not in p for p in parts):
            continue
        stem = parts[-1].removesuffix(".pkl")
        rel = "/".join([*parts[:-1], stem])
        if is_pandas(obj):
            if stem.startswith(("port_analysis_", "indicator_analysis_")):
                target = out_dir / f"{rel}.json"
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(json.dumps(frame_to_jsonable(obj), indent=2, allow_nan=False))
            else:
                target = out_dir / f"{rel}.parquet"
                write_parquet(obj, target, default_name=stem)
        elif stem.startswith("positions_normal_") and isinstance(obj, dict):
            target = out_dir / f"{rel}.parquet"
            write_parquet(positions_frame(obj), target)
        else:
            continue
        written.append(target.relative_to(out_dir).as_posix())
    return written
