"""The dashboard's series export, exports/series.json: the backtest report's daily return, bench, cost and turnover
and the IC / Rank IC series, as plain JSON lists (the API reads neither pickles nor Parquet)."""

from __future__ import annotations

from typing import Any

from trainers.exports import is_pandas, jsonable_number

#: The objects Qlib's records save (keys as the recorder tap collects them: ``<artifact_path>/<name>``).
REPORT_KEY = "portfolio_analysis/report_normal_1day.pkl"
IC_KEY, RIC_KEY = "sig_analysis/ic.pkl", "sig_analysis/ric.pkl"
REPORT_COLUMNS = ("return", "bench", "cost", "turnover")


def _day(value: Any) -> str:
    import pandas as pd

    return str(pd.Timestamp(value).strftime("%Y-%m-%d"))


def _report(report: Any) -> dict[str, list[Any]] | None:
    import pandas as pd

    if not isinstance(report, pd.DataFrame) or report.empty:
        return None
    frame = report.sort_index()
    out: dict[str, list[Any]] = {"dates": [_day(d) for d in frame.index]}
    for column in REPORT_COLUMNS:
        values = frame[column] if column in frame.columns else [None] * len(frame)
        out[column] = [jsonable_number(v) for v in values]
    return out


def _ic(ic: Any, ric: Any) -> dict[str, list[Any]] | None:
    import pandas as pd

    series = {name: s for name, s in (("ic", ic), ("rank_ic", ric)) if isinstance(s, pd.Series) and not s.empty}
    if not series:
        return None
    frame = pd.DataFrame(series).sort_index()  # aligned on the union of their dates
    out: dict[str, list[Any]] = {"dates": [_day(d) for d in frame.index]}
    for name in ("ic", "rank_ic"):
        out[name] = [jsonable_number(v) for v in frame[name]] if name in frame else [None] * len(frame)
    return out


def series_export(objects: dict[str, Any]) -> dict[str, Any] | None:
    """``{"report": {"dates": [...], "return": [...], "bench": [...], "cost": [...], "turnover": [...]},
    "ic": {"dates": [...], "ic": [...], "rank_ic": [...]}}`` from the records' objects (NaN as null; a part the
    workflow did not produce is left out); None when it produced neither."""
    report = objects.get(REPORT_KEY)
    ic, ric = objects.get(IC_KEY), objects.get(RIC_KEY)
    out: dict[str, Any] = {}
    if report is not None and is_pandas(report) and (part := _report(report)) is not None:
        out["report"] = part
    if (part := _ic(ic, ric)) is not None:
        out["ic"] = part
    return out or None
