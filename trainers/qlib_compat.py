"""Where Qlib 0.9.7 meets the library versions this platform installs: fixes each job process applies before it
builds a model or a dataset. Each keeps Qlib's behaviour and changes only what broke or crawled."""

from __future__ import annotations

import functools
import inspect
from typing import Any


def apply() -> None:
    """Every fix below that the libraries of this process need (each applies once)."""
    fast_cross_sectional_fillna()


def fast_cross_sectional_fillna() -> None:
    """Qlib's ``CSZFillna`` fills each date's missing values with that date's column means through a per-date
    ``groupby.apply``; under pandas 3 each date's ``fillna`` with a Series takes tens of milliseconds, and the MLP
    benchmark's handler (50 instruments, 18 months) took 209 s instead of 3. The same filling, one
    ``groupby.transform`` for all dates (its means agree with the per-date ones to float32 rounding: 2e-7 at most on
    the demo market's Alpha158)."""
    from qlib.data.dataset.processor import CSZFillna, get_group_columns

    if getattr(CSZFillna.__call__, "_qlp_fast", False):
        return

    def __call__(self: Any, df: Any) -> Any:
        cols = get_group_columns(df, self.fields_group)
        part = df[cols]
        df[cols] = part.fillna(part.groupby("datetime", group_keys=False).transform("mean"))
        return df

    __call__._qlp_fast = True  # type: ignore[attr-defined]
    CSZFillna.__call__ = __call__


def accept_scheduler_verbose() -> None:
    """Qlib 0.9.7's DNNModelPytorch compares torch versions as text (``"2.13.0" <= "2.6.0"`` holds) and so hands
    ``ReduceLROnPlateau`` the ``verbose`` argument that torch 2.7 removed: the MLP benchmark stopped with a TypeError.
    Let the scheduler take it and drop it, as torch had deprecated it (it only printed)."""
    from torch.optim import lr_scheduler

    init = lr_scheduler.ReduceLROnPlateau.__init__
    if "verbose" in inspect.signature(init).parameters:
        return

    @functools.wraps(init)
    def without_verbose(self: Any, *args: Any, verbose: Any = None, **kwargs: Any) -> None:
        init(self, *args, **kwargs)

    lr_scheduler.ReduceLROnPlateau.__init__ = without_verbose  # type: ignore[method-assign]
