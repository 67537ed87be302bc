"""The worker host's feature cache: a Qlib handler's processed frames under a key of everything that changes them."""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import errno
import fcntl
import hashlib
import json
import os
import re
import secrets
import shutil
import sys
import tarfile
import time
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

#: Bumped whenever what an entry holds or how it is written changes: older entries then simply miss.
FORMAT_VERSION = 1
#: qlib_init keys that do not change any processed value (the dataset folder is in the key as its content hash).
NEUTRAL_QLIB_INIT = frozenset({"provider_uri", "exp_manager", "kernels", "joblib_backend", "logging_level",
                               "maxtasksperchild"})
#: The handler attributes that hold its data (DataHandlerLP.ATTR_MAP): raw, for inference, for learning.
FRAME_ATTRS = ("_data", "_infer", "_learn")
PROCESSOR_LISTS = ("shared_processors", "infer_processors", "learn_processors")
#: Methods through which a handler builds its data: only Qlib's own DataHandler/DataHandlerLP ones are reproduced.
DATA_METHODS = ("setup_data", "fit", "process_data", "fit_process_data", "fetch", "_fetch_data", "_get_df_by_key")
LOCK_WAIT_S = 3600.0  # how long a job waits for another job on this host computing the same key
LOCK_POLL_S = 0.2
MANIFEST = "manifest.json"
KEY_RE = re.compile(r"^[0-9a-f]{64}$")
NAME_RE = re.compile(r"^[A-Za-z0-9_.-]{1,200}$")
VALUE_KINDS = "biufmM"  # numpy kinds an entry holds: bool, ints, floats, timedelta, datetime (never objects)
MB = 1024 * 1024

Status = Literal["hit", "miss", "off"]


class Uncacheable(ValueError):
    """This handler's data cannot be kept safely (an object type the cache does not store, a custom handler)."""


class CorruptEntry(ValueError):
    """A stored entry is unreadable, incomplete or does not match its manifest."""


# ------------------------------------------------------------------------------------------------------ the key


def key_inputs(dataset_config: dict[str, Any], dataset_hash: str, qlib_init: dict[str, Any]) -> dict[str, Any]:
    """Everything that changes the processed data, as plain JSON values.

    The dataset version's content hash; the handler's class, module and kwargs (instruments, dates, fit window,
    processors in order, label, loader); the dataset's class and other kwargs (segments); the qlib_init settings
    that are not neutral; the versions of Qlib and of the libraries its expressions compute with; this format's."""
    import pandas as pd
    import qlib

    kwargs = dict(dataset_config.get("kwargs") or {})
    handler = kwargs.pop("handler", None)
    return _canonical({
        "format": FORMAT_VERSION,
        "dataset_hash": dataset_hash,
        "handler": handler,
        "dataset": {"class": dataset_config.get("class"), "module_path": dataset_config.get("module_path"),
                    "kwargs": kwargs},
        "qlib_init": {k: v for k, v in (qlib_init or {}).items() if k not in NEUTRAL_QLIB_INIT},
        "versions": {"qlib": qlib.__version__, "pandas": pd.__version__, "numpy": np.__version__},
    })


def canonical_json(value: Any) -> str:
    """Sorted keys, no spaces, dates as ISO text: the same config always gives the same text."""
    return json.dumps(_canonical(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def cache_key(inputs: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(inputs).encode("utf-8")).hexdigest()


def _canonical(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):  # YAML dates; pandas Timestamps are datetimes too
        return value.isoformat()
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if not np.isfinite(value):
            raise Uncacheable(f"the dataset config holds a non-finite number ({value!r})")
        return value
    raise Uncacheable(f"the dataset config holds a {type(value).__name__}, which the cache key cannot name")


# --------------------------------------------------------------------------------- frames as numpy arrays + JSON


@dataclass
class EntryData:
    """What an entry holds: JSON metadata and named numpy arrays (written as .npy, read without pickle)."""

    meta: dict[str, Any]
    arrays: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def nbytes(self) -> int:
        return sum(int(a.nbytes) for a in self.arrays.values())


def _same_size_uint(dtype: np.dtype) -> np.dtype:
    return np.dtype(f"u{dtype.itemsize}")


def encode_index(index: pd.Index, arrays: dict[str, np.ndarray], prefix: str) -> dict[str, Any]:
    """An Index or MultiIndex as level arrays and codes (a MultiIndex keeps its exact levels and codes)."""
    import pandas as pd

    if isinstance(index, pd.MultiIndex):
        levels = []
        for i, (level, codes) in enumerate(zip(index.levels, index.codes, strict=True)):
            levels.append(_encode_level(level, arrays, f"{prefix}.l{i}"))
            arrays[f"{prefix}.c{i}"] = np.asarray(codes)
        return {"multi": True, "names": _names(index.names), "levels": levels, "sortorder": index.sortorder}
    return {"multi": False, "names": _names([index.name]), "levels": [_encode_level(index, arrays, f"{prefix}.l0")]}


def decode_index(meta: dict[str, Any], arrays: dict[str, np.ndarray], prefix: str) -> pd.Index:
    import pandas as pd

    levels = [_decode_level(m, arrays[f"{prefix}.l{i}"]) for i, m in enumerate(meta["levels"])]
    if meta["multi"]:
        codes = [arrays[f"{prefix}.c{i}"] for i in range(len(levels))]
        return pd.MultiIndex(levels=levels, codes=codes, names=meta["names"], sortorder=meta["sortorder"],
                             verify_integrity=False)
    return levels[0].rename(meta["names"][0])


def _names(names: Any) -> list[Any]:
    out = list(names)
    for n in out:
        if n is not None and not isinstance(n, (str, int)):
            raise Uncacheable(f"an index name of type {type(n).__name__}")
    return out


def _encode_level(level: pd.Index, arrays: dict[str, np.ndarray], name: str) -> dict[str, Any]:
    import pandas as pd

    dtype = level.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in VALUE_KINDS:
        arrays[name] = level.to_numpy()
        return {"dtype": dtype.str}
    if isinstance(dtype, pd.StringDtype) or (isinstance(dtype, np.dtype) and dtype.kind == "O"):
        values = level.tolist()
        if not all(type(v) is str for v in values):
            raise Uncacheable("an index level holds values other than text")
        arrays[name] = np.array(values, dtype=str)
        if isinstance(dtype, pd.StringDtype):
            return {"dtype": "string", "storage": dtype.storage, "na": "nan" if dtype.na_value is not pd.NA else "NA"}
        return {"dtype": "object"}
    raise Uncacheable(f"an index level of dtype {dtype}")


def _decode_level(meta: dict[str, Any], values: np.ndarray) -> pd.Index:
    import pandas as pd

    if meta["dtype"] == "string":
        na = pd.NA if meta["na"] == "NA" else np.nan
        return pd.Index(values, dtype=pd.StringDtype(storage=sys.intern(meta["storage"]), na_value=na))
    if meta["dtype"] == "object":
        return pd.Index(values.tolist(), dtype=object)
    return pd.Index(values, dtype=np.dtype(meta["dtype"]))


def encode_frame(df: pd.DataFrame, arrays: dict[str, np.ndarray], prefix: str) -> dict[str, Any]:
    """A DataFrame as one 2-D array per dtype (bit for bit, NaN payloads included) plus its index and columns."""
    import pandas as pd

    if type(df) is not pd.DataFrame:
        raise Uncacheable(f"the handler keeps its data as {type(df).__name__}, not a DataFrame")
    dtypes = list(df.dtypes)
    groups: list[dict[str, Any]] = []
    for dtype in dict.fromkeys(dtypes):
        if not isinstance(dtype, np.dtype) or dtype.kind not in VALUE_KINDS or dtype.itemsize not in (1, 2, 4, 8):
            raise Uncacheable(f"a column of dtype {dtype}")
        positions = [i for i, d in enumerate(dtypes) if d == dtype]
        name = f"{prefix}.v{len(groups)}"
        # one dtype: the frame's own array (a view of its block when it has one); several: a copy per dtype
        arrays[name] = df.to_numpy() if len(positions) == len(dtypes) else df.iloc[:, positions].to_numpy()
        groups.append({"dtype": dtype.str, "positions": positions})
    return {"index": encode_index(df.index, arrays, f"{prefix}.i"),
            "columns": encode_index(df.columns, arrays, f"{prefix}.k"),
            "groups": groups, "shape": list(df.shape)}


def decode_frame(meta: dict[str, Any], arrays: dict[str, np.ndarray], prefix: str) -> pd.DataFrame:
    import pandas as pd

    index = decode_index(meta["index"], arrays, f"{prefix}.i")
    columns = decode_index(meta["columns"], arrays, f"{prefix}.k")
    groups = meta["groups"]
    rows, cols = meta["shape"]
    if len(groups) == 1:
        values = arrays[f"{prefix}.v0"]
        if values.shape != (rows, cols) or values.dtype != np.dtype(groups[0]["dtype"]):
            raise CorruptEntry(f"{prefix}: values of shape {values.shape}, {values.dtype}")
        return pd.DataFrame(values, index=index, columns=columns, copy=False)
    parts = {}
    for g, group in enumerate(groups):
        values = arrays[f"{prefix}.v{g}"]
        for j, position in enumerate(group["positions"]):
            parts[position] = values[:, j]
    df = pd.DataFrame({p: parts[p] for p in range(cols)}, index=index, copy=False)
    df.columns = columns
    return df


def frames_identical(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """Same index, columns, dtypes and values bit for bit (NaN payloads included)."""
    if a.shape != b.shape or list(a.dtypes) != list(b.dtypes):
        return False
    if not (indexes_identical(a.index, b.index) and indexes_identical(a.columns, b.columns)):
        return False
    for i, dtype in enumerate(a.dtypes):
        u = _same_size_uint(dtype)
        if not np.array_equal(a.iloc[:, i].to_numpy().view(u), b.iloc[:, i].to_numpy().view(u)):
            return False
    return True


def indexes_identical(a: pd.Index, b: pd.Index) -> bool:
    import pandas as pd

    if type(a) is not type(b) or list(a.names) != list(b.names) or len(a) != len(b):
        return False
    if isinstance(a, pd.MultiIndex):
        assert isinstance(b, pd.MultiIndex)
        return a.nlevels == b.nlevels and all(
            la.dtype == lb.dtype and la.equals(lb) and np.array_equal(ca, cb)
            for la, lb, ca, cb in zip(a.levels, b.levels, a.codes, b.codes, strict=True)
        )
    return bool(a.dtype == b.dtype and a.equals(b))


# ------------------------------------------------------------------------------ processors' fitted state as JSON


def encode_value(value: Any, arrays: dict[str, np.ndarray], name: str) -> dict[str, Any]:
    """A processor attribute as tagged JSON (arrays and indexes beside it); anything else is Uncacheable."""
    import pandas as pd

    kind = type(value)
    if value is None or kind in (bool, int, str):
        return {"t": "json", "v": value}
    if kind is float:
        return {"t": "float", "v": repr(value)}
    if isinstance(value, np.ndarray) and value.dtype.kind == "O" and value.ndim == 1 \
            and all(type(v) is str for v in value):
        # text kept as objects: FilterCol's fitted col_list (np.union1d of column names)
        arrays[name] = np.array(value.tolist(), dtype=str)
        return {"t": "text_objects"}
    if isinstance(value, (np.generic, np.ndarray)):
        array = np.asarray(value)
        if array.dtype.kind not in VALUE_KINDS + "US":
            raise Uncacheable(f"{name}: an array of dtype {array.dtype}")
        arrays[name] = array
        return {"t": "scalar" if isinstance(value, np.generic) else "array"}
    if isinstance(value, pd.Index):
        return {"t": "index", "v": encode_index(value, arrays, name)}
    if kind is dt.date or kind is dt.datetime:
        return {"t": kind.__name__, "v": value.isoformat()}
    if kind is pd.Timestamp and value.tzinfo is None:
        return {"t": "timestamp", "v": value.isoformat(), "unit": value.unit}
    if kind in (list, tuple):
        return {"t": kind.__name__, "v": [encode_value(v, arrays, f"{name}.{i}") for i, v in enumerate(value)]}
    if kind is dict and all(type(k) is str for k in value):
        items = [[k, encode_value(v, arrays, f"{name}.{i}")] for i, (k, v) in enumerate(value.items())]
        return {"t": "dict", "v": items}
    if isinstance(value, (types.FunctionType, types.BuiltinFunctionType)):
        return {"t": "callable", "v": _callable_name(value)}  # set by __init__: the fresh instance has it
    raise Uncacheable(f"{name}: a {kind.__name__}")


def decode_value(meta: dict[str, Any], arrays: dict[str, np.ndarray], name: str,
                 texts: dict[str, str] | None = None) -> Any:
    """The attribute back; text equal to a string in ``texts`` is that very object (as the computed state shares
    strings with the config and Qlib's constants, so pickles of the two come out byte for byte alike)."""
    import pandas as pd

    t: str = meta["t"]
    v: Any = meta.get("v")
    if t == "json":
        return _shared_text(v, texts) if isinstance(v, str) else v
    if t == "float":
        return float(v)
    if t == "array":
        return arrays[name]
    if t == "scalar":
        return arrays[name][()]
    if t == "text_objects":
        return np.array([_shared_text(str(v), texts) for v in arrays[name].tolist()], dtype=object)
    if t == "index":
        return decode_index(v, arrays, name)
    if t == "date":
        return dt.date.fromisoformat(v)
    if t == "datetime":
        return dt.datetime.fromisoformat(v)
    if t == "timestamp":
        return pd.Timestamp(v).as_unit(meta["unit"])
    if t in ("list", "tuple"):
        items = [decode_value(m, arrays, f"{name}.{i}", texts) for i, m in enumerate(v)]
        return items if t == "list" else tuple(items)
    if t == "dict":
        return {_shared_text(k, texts): decode_value(m, arrays, f"{name}.{i}", texts) for i, (k, m) in enumerate(v)}
    if t == "callable":
        return _Callable(v)
    raise CorruptEntry(f"{name}: unknown value tag {t!r}")


def _shared_text(text: str, texts: dict[str, str] | None) -> str:
    if texts is not None and text in texts:
        return texts[text]
    return sys.intern(text) if text.isidentifier() else text  # as Python interns such constants


def _texts(value: Any, into: dict[str, str]) -> dict[str, str]:
    """Every string in ``value`` (through lists, tuples and dicts), first object seen kept."""
    if isinstance(value, str):
        into.setdefault(value, value)
    elif isinstance(value, (list, tuple)):
        for v in value:
            _texts(v, into)
    elif isinstance(value, dict):
        for k, v in value.items():
            _texts(k, into)
            _texts(v, into)
    return into


@dataclass(frozen=True)
class _Callable:
    name: str


def _callable_name(fn: Any) -> str:
    return f"{fn.__module__}:{fn.__qualname__}"


def _same_value(a: Any, b: Any) -> bool:
    """Whether an attribute a fresh processor already has equals the stored one (then the fresh object is kept)."""
    if isinstance(b, _Callable):
        return callable(a) and _callable_name(a) == b.name
    if type(a) is not type(b):
        return False
    if a is None or isinstance(a, (bool, int, str, dt.date)):
        return bool(a == b)
    if isinstance(a, float):
        return repr(a) == repr(b)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same_value(x, y) for x, y in zip(a, b, strict=True))
    return False


def _class_name(obj: Any) -> str:
    return f"{type(obj).__module__}:{type(obj).__qualname__}"


# ---------------------------------------------------------------------------------- a handler in and out of an entry


def eligible_handler_class(handler_config: Any) -> type:
    """The handler's class when the cache can reproduce its data exactly: Qlib's own DataHandler/DataHandlerLP data
    path (no subclass builds or serves its data its own way) with the default QlibDataLoader."""
    from qlib.data.dataset.handler import DataHandler, DataHandlerLP
    from qlib.utils import get_callable_kwargs

    if not isinstance(handler_config, dict) or "class" not in handler_config:
        raise Uncacheable("the dataset's handler is not a class config")
    try:
        cls, kwargs = get_callable_kwargs(handler_config)
    except (ImportError, AttributeError, ValueError) as exc:
        raise Uncacheable(f"the handler class cannot be resolved: {exc}") from None
    if not (isinstance(cls, type) and issubclass(cls, DataHandler)):
        raise Uncacheable(f"{handler_config['class']} is not a Qlib data handler")
    for klass in cls.__mro__:
        if klass in (DataHandler, DataHandlerLP):
            break
        own = [m for m in DATA_METHODS if m in vars(klass)]
        if own:
            raise Uncacheable(f"{klass.__name__} builds its data its own way ({', '.join(own)})")
    loader = kwargs.get("data_loader")
    if loader is not None and not (
        isinstance(loader, dict) and loader.get("class") == "QlibDataLoader"
        and loader.get("module_path") in (None, "qlib.data.dataset.loader")
    ):
        raise Uncacheable("the handler's data loader is not Qlib's QlibDataLoader")
    if kwargs.get("init_data") is False:
        raise Uncacheable("the handler is configured not to load its data")
    return cls


def encode_handler(handler: Any) -> EntryData:
    """The handler's frames (one copy of frames it shares between attributes) and its processors' fitted state."""
    arrays: dict[str, np.ndarray] = {}
    frames: dict[str, str] = {}
    stored: dict[int, str] = {}
    frame_meta: dict[str, Any] = {}
    for attr in FRAME_ATTRS:
        if attr not in vars(handler):
            continue
        obj = vars(handler)[attr]
        if id(obj) not in stored:
            name = f"f{len(stored)}"
            frame_meta[name] = encode_frame(obj, arrays, name)
            stored[id(obj)] = name
        frames[attr] = stored[id(obj)]
    if not frames:
        raise Uncacheable("the handler holds no data")
    processors: dict[str, list[dict[str, Any]]] = {}
    for group in PROCESSOR_LISTS:
        processors[group] = [
            {"class": _class_name(p),
             "state": [[k, encode_value(v, arrays, f"p.{group}.{i}.{k}")] for k, v in vars(p).items()]}
            for i, p in enumerate(getattr(handler, group, []))
        ]
    return EntryData(meta={"frames": frames, "frame_meta": frame_meta, "processors": processors}, arrays=arrays)


def restore_handler(handler_config: dict[str, Any], entry: EntryData) -> Any:
    """A handler built from its config without loading data (``init_data=False``: processors constructed, nothing
    fitted), then given the stored frames and its processors' fitted state, as ``setup_data`` would have left it."""
    from qlib.data.dataset.handler import DataHandler
    from qlib.utils import init_instance_by_config

    config = {**handler_config, "kwargs": {**(handler_config.get("kwargs") or {}), "init_data": False}}
    handler = init_instance_by_config(config, accept_types=DataHandler)
    if any(attr in vars(handler) for attr in FRAME_ATTRS):
        raise CorruptEntry("the handler loaded data although told not to")
    meta = entry.meta
    try:
        decoded = {name: decode_frame(m, entry.arrays, name) for name, m in meta["frame_meta"].items()}
        for attr, name in meta["frames"].items():
            if attr not in FRAME_ATTRS:
                raise CorruptEntry(f"unknown frame attribute {attr!r}")
            setattr(handler, attr, decoded[name])
        texts: dict[str, str] = {}
        for group in PROCESSOR_LISTS:
            for proc in getattr(handler, group, []):
                _texts(vars(proc), texts)
        for group in PROCESSOR_LISTS:
            fresh = list(getattr(handler, group, []))
            saved = meta["processors"].get(group, [])
            if len(fresh) != len(saved):
                raise CorruptEntry(f"{group}: {len(saved)} stored, the config builds {len(fresh)}")
            for i, (proc, record) in enumerate(zip(fresh, saved, strict=True)):
                if _class_name(proc) != record["class"]:
                    raise CorruptEntry(f"{group}[{i}] is {_class_name(proc)}, stored {record['class']}")
                _restore_state(proc, record["state"], entry.arrays, f"p.{group}.{i}", texts)
    except (KeyError, TypeError, IndexError, ValueError, AttributeError) as exc:
        if isinstance(exc, CorruptEntry):
            raise
        raise CorruptEntry(f"{type(exc).__name__}: {exc}") from None
    return handler


def _restore_state(proc: Any, state: list[list[Any]], arrays: dict[str, np.ndarray], prefix: str,
                   texts: dict[str, str]) -> None:
    """The processor's attributes in the stored order; values the fresh instance already has equal (from the same
    config) stay its own objects, so what the two share with the config is shared alike."""
    fresh = vars(proc)
    restored: dict[str, Any] = {}
    for name, meta in state:
        key = sys.intern(name)  # attribute names are interned
        value = decode_value(meta, arrays, f"{prefix}.{key}", texts)
        if key in fresh and _same_value(fresh[key], value):
            restored[key] = fresh[key]
        elif isinstance(value, _Callable):
            raise CorruptEntry(f"{prefix}.{key}: {value.name} is not what the processor sets itself")
        else:
            restored[key] = value
    extra = set(fresh) - set(restored)
    if extra:
        raise CorruptEntry(f"{prefix}: attributes {sorted(extra)} are not in the entry")
    fresh.clear()
    fresh.update(restored)


def handlers_identical(a: Any, b: Any) -> bool:
    """The same frames (shared alike between attributes) and the same processor state, bit for bit."""
    for attr in FRAME_ATTRS:
        if (attr in vars(a)) != (attr in vars(b)):
            return False
        if attr in vars(a) and not frames_identical(vars(a)[attr], vars(b)[attr]):
            return False
    share = [[vars(h)[x] is vars(h)[y] for x in FRAME_ATTRS for y in FRAME_ATTRS if x in vars(h) and y in vars(h)]
             for h in (a, b)]
    if share[0] != share[1]:
        return False
    ea, eb = encode_handler(a), encode_handler(b)
    pa = {k: v for k, v in ea.arrays.items() if k.startswith("p.")}
    pb = {k: v for k, v in eb.arrays.items() if k.startswith("p.")}
    if ea.meta["processors"] != eb.meta["processors"] or set(pa) != set(pb):
        return False
    for name, x in pa.items():
        y = pb[name]
        if x.dtype != y.dtype or x.shape != y.shape:
            return False
        if x.dtype.kind in "US":
            if not np.array_equal(x, y):
                return False
        elif not np.array_equal(x.view(_same_size_uint(x.dtype)), y.view(_same_size_uint(y.dtype))):
            return False
    return True


# --------------------------------------------------------------------------------------------------- the stores


@dataclass
class StoredEntry:
    data: EntryData
    nbytes: int  # on disk


class Slot(Protocol):
    """A claim on computing one key: ``owned`` when this job may write it; ``waited`` when another job held it."""

    owned: bool
    waited: bool

    def get(self) -> StoredEntry | None: ...

    def put(self, inputs: dict[str, Any], data: EntryData) -> int: ...

    def discard(self) -> None: ...


class FeatureStore(Protocol):
    """Where entries live: a folder on the worker host. Between hosts, the worker publishes and fetches whole entries
    through the platform's store (``trainers.shared_features``), so a job only ever reads its host's folder."""

    max_bytes: int

    def get(self, key: str) -> StoredEntry | None:
        """The entry, or None when there is none; raises CorruptEntry when one is there but unusable."""

    def computing(self, key: str) -> contextlib.AbstractContextManager[Slot]:
        """Held while the job computes ``key``; another job on the host computing it waits meanwhile."""


class LocalFeatureStore:
    """One folder per key under ``entries/``, written in ``tmp/`` and renamed into place; a lock file per key
    (shared while read, exclusive while computed, written or evicted); least recently used entries are evicted
    when the entries pass ``max_bytes``."""

    def __init__(self, root: Path, max_bytes: int, lock_wait_s: float = LOCK_WAIT_S) -> None:
        self.root = root
        self.max_bytes = max_bytes
        self.lock_wait_s = lock_wait_s
        for sub in ("entries", "locks", "tmp"):
            (root / sub).mkdir(parents=True, exist_ok=True)

    def entry_dir(self, key: str) -> Path:
        return self.root / "entries" / _checked_key(key)

    def get(self, key: str) -> StoredEntry | None:
        if not (self.entry_dir(key) / MANIFEST).exists():
            return None
        with _flock(self._lock_path(key), exclusive=False, timeout=self.lock_wait_s) as (locked, _):
            if not locked:
                return None
            return self._read(key, touch=True)

    @contextlib.contextmanager
    def computing(self, key: str) -> Iterator[Slot]:
        with _flock(self._lock_path(key), exclusive=True, timeout=self.lock_wait_s) as (locked, waited):
            yield _LocalSlot(self, key, owned=locked, waited=waited)

    def entries(self) -> list[dict[str, Any]]:
        """Every entry's key, bytes, created and last_used (unreadable ones as bytes on disk, never used)."""
        out = []
        for folder in sorted((self.root / "entries").iterdir()):
            if not KEY_RE.match(folder.name):
                continue
            try:
                manifest = json.loads((folder / MANIFEST).read_text())
                out.append({"key": folder.name, "bytes": int(manifest["bytes"]), "created": manifest["created"],
                            "last_used": float(manifest["last_used"])})
            except (OSError, ValueError, KeyError, TypeError):
                out.append({"key": folder.name, "bytes": _du(folder), "created": None, "last_used": 0.0})
        return out

    def total_bytes(self) -> int:
        return sum(e["bytes"] for e in self.entries())

    def has(self, key: str) -> bool:
        return (self.entry_dir(key) / MANIFEST).is_file()

    def export_entry(self, key: str, into: Path) -> bool:
        """The entry as a tar file at ``into`` (read under the key's shared lock); False when there is none."""
        with _flock(self._lock_path(key), exclusive=False, timeout=self.lock_wait_s) as (locked, _):
            folder = self.entry_dir(key)
            if not locked or not (folder / MANIFEST).is_file():
                return False
            with tarfile.open(into, "w") as tar:
                for path in sorted(folder.iterdir()):
                    tar.add(path, arcname=path.name, recursive=False)
            return True

    def import_entry(self, key: str, tar_path: Path) -> bool:
        """An entry another host published (a tar of its folder) put in place, checked as a read checks it (every
        file against the manifest's checksums, the manifest against the key); False when it is unusable."""
        tmp = self.root / "tmp" / f"{_checked_key(key)}.import.{secrets.token_hex(4)}"
        try:
            with tarfile.open(tar_path, "r:") as tar:
                tar.extractall(tmp, filter="data")
            if any(p.is_dir() or p.is_symlink() for p in tmp.iterdir()):
                return False
            with _flock(self._lock_path(key), exclusive=True, timeout=self.lock_wait_s) as (locked, _):
                if not locked:
                    return False
                if self.has(key):
                    return True
                os.rename(tmp, self.entry_dir(key))
                try:
                    self._read(key, touch=True)
                except CorruptEntry:
                    self._trash(self.entry_dir(key))
                    return False
            self.evict(keep=key)
            return True
        except (OSError, tarfile.TarError):
            return False
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    # ----- inside -------------------------------------------------------------------------------------------
    def _lock_path(self, key: str) -> Path:
        return self.root / "locks" / f"{_checked_key(key)}.lock"

    def _read(self, key: str, touch: bool) -> StoredEntry | None:
        folder = self.entry_dir(key)
        try:
            manifest = json.loads((folder / MANIFEST).read_text())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise CorruptEntry(f"manifest: {exc}") from None
        try:
            if manifest.get("format") != FORMAT_VERSION or manifest.get("key") != key:
                raise CorruptEntry("the manifest is for another key or format")
            arrays: dict[str, np.ndarray] = {}
            for item in manifest["files"]:
                name = item["name"]
                if not NAME_RE.match(name):
                    raise CorruptEntry(f"bad file name {name!r}")
                path = folder / f"{name}.npy"
                if path.stat().st_size != item["bytes"]:
                    raise CorruptEntry(f"{name}.npy has {path.stat().st_size} bytes, the manifest says {item['bytes']}")
                with path.open("rb") as fh:
                    if hashlib.file_digest(fh, "sha256").hexdigest() != item["sha256"]:
                        raise CorruptEntry(f"{name}.npy does not match its checksum")
                arrays[name] = np.load(path, allow_pickle=False)
            data = EntryData(meta=manifest["meta"], arrays=arrays)
            nbytes = int(manifest["bytes"])
        except CorruptEntry:
            raise
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise CorruptEntry(f"{type(exc).__name__}: {exc}") from None
        if touch:
            manifest["last_used"] = time.time()
            with contextlib.suppress(OSError):
                _write_json_atomic(folder / MANIFEST, manifest)
        return StoredEntry(data, nbytes)

    def _write(self, key: str, inputs: dict[str, Any], data: EntryData) -> int:
        tmp = self.root / "tmp" / f"{key}.{os.getpid()}.{secrets.token_hex(4)}"
        tmp.mkdir()
        try:
            files: list[dict[str, Any]] = []
            for name, array in data.arrays.items():
                if not NAME_RE.match(name):
                    raise ValueError(f"bad array name {name!r}")
                path = tmp / f"{name}.npy"
                with path.open("wb") as fh:
                    writer = _HashingWriter(fh)
                    np.lib.format.write_array(writer, array, allow_pickle=False)
                    fh.flush()
                    os.fsync(fh.fileno())
                files.append({"name": name, "bytes": path.stat().st_size, "sha256": writer.hash.hexdigest()})
            now = time.time()
            manifest: dict[str, Any] = {"format": FORMAT_VERSION, "key": key, "inputs": inputs, "meta": data.meta,
                                        "files": files, "created": now, "last_used": now, "bytes": 0}
            manifest["bytes"] = sum(f["bytes"] for f in files) + len(json.dumps(manifest)) + 32
            _write_json_atomic(tmp / MANIFEST, manifest)
            _fsync_dir(tmp)
            target = self.entry_dir(key)
            if target.exists():
                self._trash(target)
            os.rename(tmp, target)
            _fsync_dir(target.parent)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return int(manifest["bytes"])

    def _trash(self, folder: Path) -> None:
        trash = self.root / "tmp" / f"trash.{folder.name}.{secrets.token_hex(4)}"
        os.rename(folder, trash)
        shutil.rmtree(trash, ignore_errors=True)

    def evict(self, keep: str | None = None) -> list[str]:
        """Remove least recently used entries until the rest fit in ``max_bytes`` (entries being read or written
        are skipped); also clears what crashed writers left in tmp/. Returns the evicted keys."""
        evicted: list[str] = []
        with _flock(self.root / "evict.lock", exclusive=True, timeout=self.lock_wait_s) as (locked, _):
            if not locked:
                return evicted
            self._clear_tmp(keep)
            entries = sorted(self.entries(), key=lambda e: e["last_used"])
            total = sum(e["bytes"] for e in entries)
            for e in entries:
                if total <= self.max_bytes:
                    break
                if e["key"] == keep:
                    continue
                lock = self._lock_path(e["key"])
                with _flock(lock, exclusive=True, timeout=0) as (got, _):
                    if not got:
                        continue  # in use: another job reads or writes it
                    self._trash(self.entry_dir(e["key"]))
                    with contextlib.suppress(OSError):
                        lock.unlink()  # holders re-check the lock file's inode, so this is safe
                total -= e["bytes"]
                evicted.append(e["key"])
        return evicted

    def _clear_tmp(self, keep: str | None) -> None:
        """Folders crashed writers left, and lock files of keys that have no entry (nobody holding them)."""
        for folder in (self.root / "tmp").iterdir():
            key = folder.name.split(".")[0]
            if folder.name.startswith("trash."):
                shutil.rmtree(folder, ignore_errors=True)
            elif KEY_RE.match(key) and key != keep:
                with _flock(self._lock_path(key), exclusive=True, timeout=0) as (got, _):
                    if got:  # nobody writes that key: a crashed writer's leftovers
                        shutil.rmtree(folder, ignore_errors=True)
        for lock in (self.root / "locks").glob("*.lock"):
            key = lock.name.removesuffix(".lock")
            if KEY_RE.match(key) and key != keep and not self.entry_dir(key).exists():
                with _flock(lock, exclusive=True, timeout=0) as (got, _):
                    if got:  # holders re-check the lock file's inode, so removing it is safe
                        with contextlib.suppress(OSError):
                            lock.unlink()


class _LocalSlot:
    def __init__(self, store: LocalFeatureStore, key: str, owned: bool, waited: bool) -> None:
        self.store, self.key, self.owned, self.waited = store, key, owned, waited

    def get(self) -> StoredEntry | None:
        return self.store._read(self.key, touch=True) if self.owned else None

    def put(self, inputs: dict[str, Any], data: EntryData) -> int:
        assert self.owned, "only the job that holds the key writes it"
        nbytes = self.store._write(self.key, inputs, data)
        self.store.evict(keep=self.key)
        return nbytes

    def discard(self) -> None:
        if self.owned and self.store.entry_dir(self.key).exists():
            self.store._trash(self.store.entry_dir(self.key))


class _HashingWriter:
    """A file object for numpy's writer that hashes what goes through it."""

    def __init__(self, fh: Any) -> None:
        self.fh = fh
        self.hash = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.hash.update(data)
        return int(self.fh.write(data))


@contextlib.contextmanager
def _flock(path: Path, exclusive: bool, timeout: float) -> Iterator[tuple[bool, bool]]:
    """(locked, waited): an flock on ``path``, polled until ``timeout``. After locking, the file must still be the
    one at ``path`` (an evictor may have removed it meanwhile), else it locks the new one."""
    deadline = time.monotonic() + timeout
    waited = False
    mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
    fd = -1
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise
            waited = True
            if time.monotonic() >= deadline:
                yield False, True
                return
            time.sleep(LOCK_POLL_S)
            continue
        try:
            current = os.stat(path).st_ino
        except FileNotFoundError:
            current = -1
        if current == os.fstat(fd).st_ino:
            break
        os.close(fd)
    try:
        yield True, waited
    finally:
        os.close(fd)


def _checked_key(key: str) -> str:
    if not KEY_RE.match(key):
        raise ValueError(f"not a cache key: {key!r}")
    return key


def _write_json_atomic(path: Path, value: Any) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    with tmp.open("w", encoding="utf-8") as fh:
        json.dump(value, fh, allow_nan=False)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _du(folder: Path) -> int:
    total = 0
    for path in folder.rglob("*"):
        with contextlib.suppress(OSError):  # renamed away meanwhile
            total += path.stat().st_size if path.is_file() else 0
    return total


# ------------------------------------------------------------------------------------------- the runner's entry


@dataclass
class CacheOutcome:
    status: Status
    key: str | None
    line: str

    def tags(self) -> dict[str, str]:
        tags: dict[str, str] = {"qlp.feature_cache": self.status}
        if self.key:
            tags["qlp.feature_cache_key"] = self.key
        return tags


@dataclass
class FeatureRequest:
    """What the runner hands the cache: the job's dataset content hash, its qlib_init, and the host's store (None
    with ``off_reason`` when the cache is off)."""

    dataset_hash: str
    qlib_init: dict[str, Any]
    store: FeatureStore | None
    off_reason: str = ""


def request_from_settings(dataset_hash: str, qlib_init: dict[str, Any]) -> FeatureRequest:
    """The host's cache as the worker's settings (its environment) configure it.

    The folder must be absolute in the environment (``QLP_WORKER__FEATURE_CACHE_DIR``, or an absolute ``QLP_HOME``):
    the job process runs in its own scratch folder, so a relative one would name a folder per job."""
    from qlp_core.settings import Settings

    try:
        settings = Settings()  # type: ignore[call-arg]  # from the environment the worker passed on
    except ValueError as exc:
        return FeatureRequest(dataset_hash, qlib_init, None, f"the settings are unusable: {exc}")
    wk = settings.worker
    if not wk.feature_cache:
        return FeatureRequest(dataset_hash, qlib_init, None, "switched off (QLP_WORKER__FEATURE_CACHE=false)")
    source = os.environ.get("QLP_WORKER__FEATURE_CACHE_DIR") or os.environ.get("QLP_HOME")
    if not source or not Path(source).expanduser().is_absolute():
        return FeatureRequest(dataset_hash, qlib_init, None, "no absolute cache folder in the job's environment "
                              "(QLP_WORKER__FEATURE_CACHE_DIR or QLP_HOME)")
    assert wk.feature_cache_dir is not None
    try:
        store = LocalFeatureStore(wk.feature_cache_dir, wk.feature_cache_max_bytes)
    except OSError as exc:
        return FeatureRequest(dataset_hash, qlib_init, None, f"cannot use {wk.feature_cache_dir}: {exc}")
    return FeatureRequest(dataset_hash, qlib_init, store)


def build_dataset(dataset_config: dict[str, Any], request: FeatureRequest | None,
                  log: Callable[[str], None] | None = None) -> tuple[Any, CacheOutcome]:
    """The task's dataset, its handler's data from the cache when an entry for its key is there, else computed as
    Qlib computes it (and stored). The task's config is left as it is. ``log`` gets the job-log lines (stdout)."""
    from qlib.data.dataset import Dataset
    from qlib.data.dataset.handler import DataHandler
    from qlib.utils import init_instance_by_config

    log = log or (lambda line: print(line, flush=True))

    def dataset_around(handler: Any) -> Any:
        kwargs = {**(dataset_config.get("kwargs") or {}), "handler": handler}
        return init_instance_by_config({**dataset_config, "kwargs": kwargs}, accept_types=Dataset)

    def off(reason: str, key: str | None = None) -> tuple[Any, CacheOutcome]:
        outcome = CacheOutcome("off", key, f"[qlp] feature cache off: {reason}")
        log(outcome.line)
        return init_instance_by_config(dataset_config, accept_types=Dataset), outcome

    if request is None:
        return off("not requested")
    try:
        # a copy: Qlib's handlers write into their config (Alpha158 adds the fit window to processor kwargs)
        configured: Any = copy.deepcopy((dataset_config.get("kwargs") or {}).get("handler"))
        eligible_handler_class(configured)  # a class config (a dict) from here on
        handler_config: dict[str, Any] = configured
        inputs = key_inputs(dataset_config, request.dataset_hash, request.qlib_init)
        key = cache_key(inputs)
    except Uncacheable as exc:
        return off(str(exc))
    store = request.store
    if store is None:
        return off(request.off_reason or "no store", key)
    short = key[:12]

    def hit(entry: StoredEntry, started: float) -> tuple[Any, CacheOutcome] | None:
        try:
            handler = restore_handler(handler_config, entry.data)
        except CorruptEntry as exc:
            log(f"[qlp] feature cache entry {short} unusable ({exc}): computing it again")
            return None
        dataset = dataset_around(handler)
        line = (f"[qlp] feature cache hit {short} ({entry.nbytes / MB:.1f} MB, "
                f"loaded in {time.perf_counter() - started:.1f}s)")
        log(line)
        return dataset, CacheOutcome("hit", key, line)

    def read(get: Callable[[], StoredEntry | None]) -> tuple[Any, CacheOutcome] | None:
        started = time.perf_counter()
        try:
            entry = get()
        except (CorruptEntry, OSError) as exc:
            log(f"[qlp] feature cache entry {short} unreadable ({exc}): computing it again")
            return None
        return None if entry is None else hit(entry, started)

    if (done := read(lambda: store.get(key))) is not None:
        return done
    with contextlib.ExitStack() as stack:
        try:
            slot: Slot | None = stack.enter_context(store.computing(key))
        except OSError as exc:  # the cache folder went away or is read-only: the job runs on without it
            slot, note = None, f"not stored: {exc}"
        # another job on this host computed it meanwhile
        if slot is not None and slot.waited and slot.owned and (done := read(slot.get)) is not None:
            return done
        started = time.perf_counter()
        handler = init_instance_by_config(handler_config, accept_types=DataHandler)
        computed = time.perf_counter() - started
        if slot is not None:
            note = _store(slot, store, handler, handler_config, inputs)
    line = f"[qlp] feature cache miss {short}: computed in {computed:.1f}s, {note}"
    log(line)
    return dataset_around(handler), CacheOutcome("miss", key, line)


def _store(slot: Slot, store: FeatureStore, handler: Any, handler_config: dict[str, Any],
           inputs: dict[str, Any]) -> str:
    """Write the entry, read it back and compare: only an entry that restores the handler bit for bit stays."""
    if not slot.owned:
        return "not stored (another job on this host is computing the same features)"
    try:
        data = encode_handler(handler)
    except Uncacheable as exc:
        _discard(slot)
        return f"not stored: {exc}"
    if data.nbytes > store.max_bytes:
        _discard(slot)
        return f"not stored: {data.nbytes / MB:.1f} MB is more than the cache holds ({store.max_bytes / MB:.1f} MB)"
    started = time.perf_counter()
    try:
        nbytes = slot.put(inputs, data)
        back = slot.get()
        if back is None or not handlers_identical(handler, restore_handler(handler_config, back.data)):
            _discard(slot)
            return "not stored: the stored copy does not restore the same data"
    except (OSError, CorruptEntry) as exc:
        _discard(slot)
        return f"not stored: {type(exc).__name__}: {exc}"
    return f"stored ({nbytes / MB:.1f} MB in {time.perf_counter() - started:.1f}s)"


def _discard(slot: Slot) -> None:
    with contextlib.suppress(OSError):
        slot.discard()
