"""Load, override, vet and prepare qrun-format workflow YAML before Qlib sees any of it."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import yaml

from qlp_core.expr import ExprError, parse

MAX_CONFIG_BYTES = 512 * 1024
# YAML aliases share nodes: a small text can expand into a huge tree when walked ("billion laughs").
MAX_CONFIG_NODES = 100_000
MAX_CONFIG_DEPTH = 64

QLIB_INIT_KEYS: frozenset[str] = frozenset(
    {"provider_uri", "region", "kernels", "logging_level", "exp_manager", "joblib_backend", "maxtasksperchild"}
)
# Replaced by prepare_config, so not vetted.
QLIB_INIT_REPLACED: frozenset[str] = frozenset({"provider_uri", "exp_manager"})
REGIONS: frozenset[str] = frozenset({"cn", "us", "tw"})
JOBLIB_BACKENDS: frozenset[str] = frozenset({"multiprocessing", "loky", "threading", "sequential"})
LOGGING_LEVELS: frozenset[str] = frozenset({"DEBUG", "INFO", "WARNING", "WARN", "ERROR", "CRITICAL"})
FORBIDDEN_TOP_LEVEL: dict[str, str] = {
    "BASE_CONFIG_PATH": "it loads another file from the worker's disk",
    "sys": "it changes the worker's Python import path",
}

# Qlib eval()s the strings of a data loader's fields and labels as expressions (qlib.data.data.ExpressionProvider):
# every string that may be one must parse with our own parser (qlp_core.expr), wherever it is.
_LOOKS_LIKE_EXPRESSION = re.compile(r"[($]")
# Keys whose list values Qlib's data loaders read as fields ("label" of the Alpha handlers, a loader's groups).
EXPRESSION_KEYS: frozenset[str] = frozenset({"feature", "label"})
_DOTTED_IDENTIFIER = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*", re.ASCII)
_DOTTED_NAME = re.compile(r"[A-Za-z_]\w*(?:\.\w+)+", re.ASCII)
# Qlib's fill_placeholder replaces EVERY string of the task that starts with <...>: the known ones by the model,
# dataset or predictions, any other by the config value at that path (which would move a value into a spec slot).
KNOWN_PLACEHOLDERS: frozenset[str] = frozenset({"<MODEL>", "<DATASET>", "<PRED>"})
_PLACEHOLDER_PREFIX = re.compile(r"<[^<>]+>")
# Market names and instrument symbols: they become file names under the dataset folder.
_SYMBOL = re.compile(r"[A-Za-z0-9_\-.^]+")
SYMBOL_KEYS: frozenset[str] = frozenset({"instruments", "market", "benchmark"})

MAX_PARAM_KEY = 250
MAX_PARAM_VALUE = 6000
_PARAM_KEY_BAD_CHARS = re.compile(r"[^\w.\- :]")


# ------------------------------------------------------------------------------------------- allowlist
# Qlib builds objects from {class, module_path, kwargs} (qlib.utils.init_instance_by_config): it imports the module
# and calls getattr(module, class), so every name a module imports is reachable too. A workflow may therefore only
# name exact (module, class) pairs, and only those that fit the position ("slot") where Qlib builds them. What is not
# listed is refused. The pairs are what Qlib's examples/benchmarks workflows use, plus their close relatives; left
# out on purpose: HIST (np.load(allow_pickle=True) of files it names), StaticDataLoader (unpickles its file),
# EnhancedIndexingStrategy and FileOrderStrategy (read the files they name), abstract bases, and everything outside.


@dataclass(frozen=True)
class Slot:
    """A config position where Qlib builds an object: the classes allowed there and the module Qlib assumes."""

    title: str
    classes: Mapping[str, frozenset[str]]
    # the module Qlib loads a bare class name from at this position (its default_module), if any
    default_module: str | None = None


def _classes(*names: str) -> frozenset[str]:
    return frozenset(names)


MODEL_CLASSES: dict[str, frozenset[str]] = {
    "qlib.contrib.model.catboost_model": _classes("CatBoostModel"),
    "qlib.contrib.model.double_ensemble": _classes("DEnsembleModel"),
    "qlib.contrib.model.gbdt": _classes("LGBModel"),
    "qlib.contrib.model.highfreq_gdbt_model": _classes("HFLGBModel"),
    "qlib.contrib.model.linear": _classes("LinearModel"),
    "qlib.contrib.model.pytorch_adarnn": _classes("ADARNN"),
    "qlib.contrib.model.pytorch_add": _classes("ADD"),
    "qlib.contrib.model.pytorch_alstm": _classes("ALSTM"),
    "qlib.contrib.model.pytorch_alstm_ts": _classes("ALSTM"),
    "qlib.contrib.model.pytorch_gats": _classes("GATs"),
    "qlib.contrib.model.pytorch_gats_ts": _classes("GATs"),
    "qlib.contrib.model.pytorch_general_nn": _classes("GeneralPTNN"),
    "qlib.contrib.model.pytorch_gru": _classes("GRU"),
    "qlib.contrib.model.pytorch_gru_ts": _classes("GRU"),
    "qlib.contrib.model.pytorch_igmtf": _classes("IGMTF"),
    "qlib.contrib.model.pytorch_krnn": _classes("KRNN"),
    "qlib.contrib.model.pytorch_localformer": _classes("LocalformerModel"),
    "qlib.contrib.model.pytorch_localformer_ts": _classes("LocalformerModel"),
    "qlib.contrib.model.pytorch_lstm": _classes("LSTM"),
    "qlib.contrib.model.pytorch_lstm_ts": _classes("LSTM"),
    "qlib.contrib.model.pytorch_nn": _classes("DNNModelPytorch"),
    "qlib.contrib.model.pytorch_sandwich": _classes("Sandwich"),
    "qlib.contrib.model.pytorch_sfm": _classes("SFM"),
    "qlib.contrib.model.pytorch_tabnet": _classes("TabnetModel"),
    "qlib.contrib.model.pytorch_tcn": _classes("TCN"),
    "qlib.contrib.model.pytorch_tcn_ts": _classes("TCN"),
    "qlib.contrib.model.pytorch_tcts": _classes("TCTS"),
    "qlib.contrib.model.pytorch_tra": _classes("TRAModel"),
    "qlib.contrib.model.pytorch_transformer": _classes("TransformerModel"),
    "qlib.contrib.model.pytorch_transformer_ts": _classes("TransformerModel"),
    "qlib.contrib.model.xgboost": _classes("XGBModel"),
}
# torch.nn modules that DNNModelPytorch and GeneralPTNN build from their pt_model_uri kwarg.
NETWORK_CLASSES: dict[str, frozenset[str]] = {
    "qlib.contrib.model.pytorch_alstm": _classes("ALSTMModel"),
    "qlib.contrib.model.pytorch_alstm_ts": _classes("ALSTMModel"),
    "qlib.contrib.model.pytorch_gru": _classes("GRUModel"),
    "qlib.contrib.model.pytorch_gru_ts": _classes("GRUModel"),
    "qlib.contrib.model.pytorch_lstm": _classes("LSTMModel"),
    "qlib.contrib.model.pytorch_lstm_ts": _classes("LSTMModel"),
    "qlib.contrib.model.pytorch_nn": _classes("Net"),
    "qlib.contrib.model.pytorch_tcn": _classes("TCNModel"),
    "qlib.contrib.model.pytorch_tcn_ts": _classes("TCNModel"),
}
DATASET_CLASSES: dict[str, frozenset[str]] = {
    "qlib.data.dataset": _classes("DatasetH", "TSDatasetH"),
    "qlib.contrib.data.dataset": _classes("MTSDatasetH"),
}
# Our own modules a workflow may name, with their classes: the factor set's handler. They join the handler slot.
PLATFORM_CLASSES: dict[str, frozenset[str]] = {"trainers.factor_handler": _classes("FactorSetHandler")}
#: The handler whose ``factor_set`` the platform resolves into its ``factors`` when a job is submitted.
FACTOR_SET_HANDLER = ("trainers.factor_handler", "FactorSetHandler")
HANDLER_CLASSES: dict[str, frozenset[str]] = {
    "qlib.contrib.data.handler": _classes("Alpha158", "Alpha158vwap", "Alpha360", "Alpha360vwap"),
    "qlib.data.dataset.handler": _classes("DataHandler", "DataHandlerLP"),
    **PLATFORM_CLASSES,
}
PROCESSOR_CLASSES: dict[str, frozenset[str]] = {
    "qlib.data.dataset.processor": _classes(
        "CSRankNorm", "CSZFillna", "CSZScoreNorm", "DropCol", "DropnaLabel", "DropnaProcessor", "FilterCol", "Fillna",
        "HashStockFormat", "MinMaxNorm", "ProcessInf", "RobustZScoreNorm", "TanhProcess", "TimeRangeFlt", "ZScoreNorm",
    ),
}  # fmt: skip
DATA_LOADER_CLASSES: dict[str, frozenset[str]] = {
    "qlib.data.dataset.loader": _classes("DataLoaderDH", "NestedDataLoader", "QlibDataLoader"),
}
RECORD_CLASSES: dict[str, frozenset[str]] = {
    "qlib.workflow.record_temp": _classes("MultiPassPortAnaRecord", "PortAnaRecord", "SigAnaRecord", "SignalRecord"),
}
STRATEGY_CLASSES: dict[str, frozenset[str]] = {
    "qlib.contrib.strategy": _classes("SBBStrategyEMA", "SoftTopkStrategy", "TWAPStrategy", "TopkDropoutStrategy"),
    "qlib.contrib.strategy.cost_control": _classes("SoftTopkStrategy"),
    "qlib.contrib.strategy.rule_strategy": _classes(
        "ACStrategy", "RandomOrderStrategy", "SBBStrategyEMA", "TWAPStrategy"
    ),
    "qlib.contrib.strategy.signal_strategy": _classes("TopkDropoutStrategy"),
}
EXECUTOR_CLASSES: dict[str, frozenset[str]] = {
    "qlib.backtest.executor": _classes("NestedExecutor", "SimulatorExecutor")
}
EXCHANGE_CLASSES: dict[str, frozenset[str]] = {"qlib.backtest.exchange": _classes("Exchange")}
SIGNAL_CLASSES: dict[str, frozenset[str]] = {"qlib.backtest.signal": _classes("ModelSignal", "SignalWCache")}
POSITION_CLASSES: dict[str, frozenset[str]] = {"qlib.backtest.position": _classes("InfPosition", "Position")}


def _merge(*tables: Mapping[str, frozenset[str]]) -> dict[str, frozenset[str]]:
    merged: dict[str, frozenset[str]] = {}
    for table in tables:
        for module, names in table.items():
            merged[module] = merged.get(module, frozenset()) | names
    return merged


MODEL = Slot("a model", MODEL_CLASSES)
NETWORK = Slot("a PyTorch network", NETWORK_CLASSES)
DATASET = Slot("a dataset", DATASET_CLASSES)
HANDLER = Slot("a data handler", HANDLER_CLASSES)
# DataHandler.__init__ and DataHandlerLP.__init__ load bare names from qlib.data.dataset.loader / .processor.
DATA_LOADER = Slot("a data loader", DATA_LOADER_CLASSES, "qlib.data.dataset.loader")
NESTED_DATA_LOADER = Slot("a data loader", DATA_LOADER_CLASSES)  # NestedDataLoader has no default module
PROCESSOR = Slot("a processor", PROCESSOR_CLASSES, "qlib.data.dataset.processor")
INSTRUMENT_PROCESSOR = Slot("an instrument processor", {})
RECORD = Slot("a record", RECORD_CLASSES, "qlib.workflow.record_temp")  # qlib.model.trainer._exe_task
STRATEGY = Slot("a strategy", STRATEGY_CLASSES)
EXECUTOR = Slot("an executor", EXECUTOR_CLASSES)
EXCHANGE = Slot("an exchange", EXCHANGE_CLASSES)
SIGNAL = Slot("a signal", SIGNAL_CLASSES)
# qlib.backtest.account.Account builds {"class": pos_type, "module_path": "qlib.backtest.position"}.
POSITION = Slot("a position type", POSITION_CLASSES, "qlib.backtest.position")
# Any other position: every allowlisted pair, named with its module (the default Qlib would use there is unknown).
ANYWHERE = Slot(
    "a class at this position",
    _merge(
        MODEL_CLASSES, NETWORK_CLASSES, DATASET_CLASSES, HANDLER_CLASSES, PROCESSOR_CLASSES, DATA_LOADER_CLASSES,
        RECORD_CLASSES, STRATEGY_CLASSES, EXECUTOR_CLASSES, EXCHANGE_CLASSES, SIGNAL_CLASSES, POSITION_CLASSES,
    ),
)  # fmt: skip

# The slot of a mapping or string by its key, wherever it is (YAML anchors put the same node under several paths).
SLOTS: dict[str, Slot] = {
    "model": MODEL,
    "pt_model_uri": NETWORK,
    "dataset": DATASET,
    "handler": HANDLER,
    "handler_config": HANDLER,
    "data_loader": DATA_LOADER,
    "record": RECORD,
    "strategy": STRATEGY,
    "inner_strategy": STRATEGY,
    "executor": EXECUTOR,
    "inner_executor": EXECUTOR,
    "exchange": EXCHANGE,
    "signal": SIGNAL,
    "pos_type": POSITION,
    # Qlib may build these too; no slot is modelled, so their specs must name an allowlisted module.
    "trade_exchange": ANYWHERE,
    "reweighter": ANYWHERE,
    "state_interpreter": ANYWHERE,
    "action_interpreter": ANYWHERE,
}
# The slot of the items of a list, by the list's key.
LIST_SLOTS: dict[str, Slot] = {
    "record": RECORD,
    "infer_processors": PROCESSOR,
    "learn_processors": PROCESSOR,
    "shared_processors": PROCESSOR,
    "dataloader_l": NESTED_DATA_LOADER,
    "inst_processors": INSTRUMENT_PROCESSOR,
    "processors": ANYWHERE,
    "filter_pipe": ANYWHERE,
}


def _is_unset(value: Any) -> bool:
    return value is None


def _is_tra_backbone(value: Any) -> bool:
    return value in ("RNN", "Transformer")


_RELATIVE_FOLDER = re.compile(r"[\w\-]+(?:/[\w\-]+)*", re.ASCII)


def _is_relative_folder(value: Any) -> bool:
    return value is None or (isinstance(value, str) and _RELATIVE_FOLDER.fullmatch(value) is not None)


_TORCH_LOADS = "it is a file that Qlib torch.load()s (unpickles)"
# Kwargs of allowlisted classes that make Qlib read, write or eval() what they name: (is the value fine, why not).
KWARG_RULES: dict[tuple[str, str], dict[str, tuple[Callable[[Any], bool], str]]] = {
    ("qlib.contrib.model.pytorch_add", "ADD"): {"model_path": (_is_unset, _TORCH_LOADS)},
    ("qlib.contrib.model.pytorch_gats", "GATs"): {"model_path": (_is_unset, _TORCH_LOADS)},
    ("qlib.contrib.model.pytorch_gats_ts", "GATs"): {"model_path": (_is_unset, _TORCH_LOADS)},
    ("qlib.contrib.model.pytorch_igmtf", "IGMTF"): {"model_path": (_is_unset, _TORCH_LOADS)},
    ("qlib.contrib.model.pytorch_tabnet", "TabnetModel"): {
        "pretrain_file": (_is_unset, "it is a file that Qlib writes and then torch.load()s (unpickles)")
    },
    ("qlib.contrib.model.pytorch_tra", "TRAModel"): {
        "model_type": (_is_tra_backbone, "Qlib eval()s it; it must be RNN or Transformer"),
        "init_state": (_is_unset, _TORCH_LOADS),
        "logdir": (_is_relative_folder, "Qlib writes files there; it must be a relative folder without '..'"),
    },
}


class ConfigLoader(yaml.SafeLoader):
    """PyYAML's safe loader, reading numbers as Qlib's qrun reads them.

    qrun parses with ruamel.yaml (YAML 1.2), where ``1e-3`` and ``2e-4`` are floats; PyYAML's YAML 1.1 resolver takes a
    float only with a dot and a signed exponent, so the learning rates of Qlib's published torch configs (``lr: 1e-3``)
    came out as strings and torch's optimisers refused them. Everything else resolves as in the safe loader."""


# appended after the safe loader's own resolvers: it matches only numbers with an exponent, which none of them takes
ConfigLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)[eE][-+]?[0-9]+$"),
    list("-+0123456789."),
)


def load_value(text: str) -> Any:
    """One YAML value (an override given as text) as a workflow config's values are read."""
    return yaml.load(text, Loader=ConfigLoader)  # the safe loader's subclass: no Python tags


class ConfigError(ValueError):
    """A workflow config is refused; the message is a human reason, fit for a 4xx response.

    ``path`` is the dotted path of the refused value (list items by index: ``task.record.0.class``) where the vetting
    knows it, ``at_key`` says the key itself is refused rather than its value; ``line`` and ``column`` (1-based) are
    where the YAML parser stopped, for text that is not valid YAML. :func:`error_position` finds the rest in the text.
    ``offset`` and ``expected`` are set for a string refused as a Qlib expression: where in the string the expression
    parser stopped (0-based) and what it expected there.
    """

    def __init__(self, message: str, *, path: str | None = None, at_key: bool = False, line: int | None = None,
                 column: int | None = None, offset: int | None = None, expected: list[str] | None = None) -> None:
        super().__init__(message)
        self.path, self.at_key, self.line, self.column = path, at_key, line, column
        # for a refused expression: the 0-based character offset in the string, and what the parser expected there
        self.offset, self.expected = offset, list(expected or [])


# ---------------------------------------------------------------------------------------------- loading


def load_config(text: str) -> dict[str, Any]:
    """Parse qrun YAML safely (anchors and aliases work, Python tags do not) and check its shape."""
    if not isinstance(text, str):
        raise ConfigError("the workflow config must be text")
    size = len(text.encode("utf-8", errors="replace"))
    if size > MAX_CONFIG_BYTES:
        raise ConfigError(f"the workflow config is {size} bytes; at most {MAX_CONFIG_BYTES} bytes are accepted")
    try:
        config = yaml.load(text, Loader=ConfigLoader)
    except yaml.constructor.ConstructorError as e:
        raise ConfigError(_yaml_error_message(e), line=_line(e), column=_column(e)) from None
    except yaml.YAMLError as e:
        raise ConfigError(f"invalid YAML: {_one_line(str(e))}", line=_line(e), column=_column(e)) from None
    except RecursionError:
        raise ConfigError("invalid YAML: nested too deeply") from None
    if config is None:
        raise ConfigError("the workflow config is empty")
    if not isinstance(config, dict):
        raise ConfigError(f"the workflow config must be a mapping, not a {_type_name(config)}")
    _check_size(config)
    _check_structure(config)
    return config


def _mark(e: yaml.YAMLError) -> Any:
    """Where the parser stopped, when it says."""
    return getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)


def _line(e: yaml.YAMLError) -> int | None:
    mark = _mark(e)
    return None if mark is None else int(mark.line) + 1


def _column(e: yaml.YAMLError) -> int | None:
    mark = _mark(e)
    return None if mark is None else int(mark.column) + 1


def _yaml_error_message(e: yaml.constructor.ConstructorError) -> str:
    where = f" (line {e.problem_mark.line + 1})" if e.problem_mark is not None else ""
    m = re.search(r"tag '([^']+)'", e.problem or "")
    if m:
        tag = m.group(1).replace("tag:yaml.org,2002:", "!!")
        return f"YAML tag {tag} is not allowed{where}: only plain mappings, lists, scalars and anchors are accepted"
    return f"invalid YAML{where}: {_one_line(e.problem or str(e))}"


def _one_line(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _type_name(value: Any) -> str:
    if isinstance(value, dict):
        return "mapping"
    if isinstance(value, str):
        return "string"
    return type(value).__name__


def _check_size(config: Any) -> None:
    """Refuse configs whose tree (aliases expanded) is too big or too deep to walk."""
    stack: list[tuple[Any, int]] = [(config, 0)]
    nodes = 0
    while stack:
        node, depth = stack.pop()
        nodes += 1
        if nodes > MAX_CONFIG_NODES:
            raise ConfigError(f"the workflow config expands to more than {MAX_CONFIG_NODES} values (aliases included)")
        if depth > MAX_CONFIG_DEPTH:
            raise ConfigError(f"the workflow config is nested more than {MAX_CONFIG_DEPTH} levels deep")
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)


def _check_structure(config: dict[str, Any]) -> None:
    task = config.get("task")
    if task is None:
        raise ConfigError("task is missing", path="task")
    if not isinstance(task, dict):
        raise ConfigError(f"task must be a mapping, not a {_type_name(task)}", path="task")
    for key in ("model", "dataset"):
        if task.get(key) is None:
            raise ConfigError(f"task.{key} is missing", path=f"task.{key}")


# -------------------------------------------------------------------------------------------- overrides


def apply_overrides(config: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """Return a deep copy of ``config`` with dotted-path overrides set (``task.record.0.kwargs.x``).

    Missing mapping keys are created; list items are addressed by index. Mappings shared through YAML
    aliases stay shared in the copy (as in the YAML), so overriding one path of an aliased mapping changes
    every place that refers to it.
    """
    result = copy.deepcopy(config)
    for path, value in (overrides or {}).items():
        _set_path(result, path, copy.deepcopy(value))
    return result


def _set_path(config: dict[str, Any], path: str, value: Any) -> None:
    if not isinstance(path, str) or not path or any(p == "" for p in path.split(".")):
        raise ConfigError(f"override path {path!r} is not a dotted path like task.model.kwargs.learning_rate",
                          path=path if isinstance(path, str) else None)
    parts = path.split(".")
    node: Any = config
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        here = ".".join(parts[:i]) or "the config"
        if isinstance(node, dict):
            if last:
                node[part] = value
            else:
                if node.get(part) is None:
                    node[part] = {}
                node = node[part]
        elif isinstance(node, list):
            if not part.isdigit():
                raise ConfigError(f"override {path}: {here} is a list, so {part!r} must be an index", path=path)
            index = int(part)
            if index >= len(node):
                raise ConfigError(f"override {path}: {here} has {len(node)} items, there is no item {index}",
                                  path=path)
            if last:
                node[index] = value
            else:
                node = node[index]
        else:
            raise ConfigError(f"override {path}: {here} is a {_type_name(node)}, not a mapping or list", path=path)


# ---------------------------------------------------------------------------------------------- vetting


def is_allowed_module(module: str, slot: Slot = ANYWHERE) -> bool:
    """True when a workflow may name classes of ``module`` in ``slot`` (by default: at some position)."""
    return module in slot.classes


def _accepts(slot: Slot) -> str:
    """What ``slot`` accepts, for messages: its modules, grouped by package."""
    if not slot.classes:
        return f"{slot.title} cannot be given in a workflow"
    groups: dict[str, list[str]] = {}
    for module in sorted(slot.classes):
        package, _, name = module.rpartition(".")
        groups.setdefault(package, []).append(name)
    modules = ", ".join(
        f"{package}.{names[0]}" if len(names) == 1 else f"{package}.{{{', '.join(names)}}}"
        for package, names in groups.items()
    )
    return f"{slot.title} may only come from {modules}"


def validate_config(config: dict[str, Any]) -> None:
    """Refuse anything that would make Qlib import, unpickle, read or run something outside the allowlist.

    Runs before anything is imported or executed; raises ConfigError saying where and why.
    """
    if not isinstance(config, dict):
        raise ConfigError(f"the workflow config must be a mapping, not a {_type_name(config)}")
    _check_size(config)
    for key, reason in FORBIDDEN_TOP_LEVEL.items():
        if key in config:
            raise ConfigError(f"{key} is not allowed: {reason}", path=key, at_key=True)
    _check_structure(config)
    _check_qlib_init(config.get("qlib_init"))
    for path, parent_key, key, value in _walk(config, ""):
        try:
            _check_node(path, parent_key, key, value)
        except ConfigError as e:
            if e.path is None:
                e.path = path
            raise


def _walk(node: Any, path: str, parent_key: Any = None) -> Iterator[tuple[str, Any, Any, Any]]:
    """Yield (path, parent key, key, value) for every value in the tree; list items have their index as key."""
    if isinstance(node, dict):
        items: Any = node.items()
    elif isinstance(node, list):
        items = enumerate(node)
    else:
        return
    for key, value in items:
        child = f"{path}.{key}" if path else str(key)
        if child in _SKIPPED_PATHS:
            continue
        yield child, parent_key, key, value
        yield from _walk(value, child, key)


_SKIPPED_PATHS = frozenset(f"qlib_init.{k}" for k in QLIB_INIT_REPLACED)


def _check_qlib_init(qlib_init: Any) -> None:
    if qlib_init is None:
        return
    if not isinstance(qlib_init, dict):
        raise ConfigError(f"qlib_init must be a mapping, not a {_type_name(qlib_init)}", path="qlib_init")
    for key, value in qlib_init.items():
        where = f"qlib_init.{key}"
        if key not in QLIB_INIT_KEYS:
            allowed = ", ".join(sorted(QLIB_INIT_KEYS))
            raise ConfigError(f"{where} is not allowed: qlib_init may only set {allowed}", path=where, at_key=True)
        if key == "region" and value not in REGIONS:
            raise ConfigError(f"{where} must be one of {', '.join(sorted(REGIONS))}", path=where)
        if key == "kernels" and not (isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 256):
            raise ConfigError(f"{where} must be a whole number from 1 to 256", path=where)
        if key == "maxtasksperchild" and not (value is None or (isinstance(value, int) and value >= 1)):
            raise ConfigError(f"{where} must be a positive whole number or null", path=where)
        if key == "joblib_backend" and value not in JOBLIB_BACKENDS:
            raise ConfigError(f"{where} must be one of {', '.join(sorted(JOBLIB_BACKENDS))}", path=where)
        if key == "logging_level" and not (
            (isinstance(value, int) and not isinstance(value, bool))
            or (isinstance(value, str) and value.upper() in LOGGING_LEVELS)
        ):
            raise ConfigError(f"{where} must be a logging level such as INFO or 20", path=where)


def _check_node(path: str, parent_key: Any, key: Any, value: Any) -> None:
    if isinstance(key, str) and "__" in key:
        raise ConfigError(f"{path}: keys with '__' are not allowed", path=path, at_key=True)
    if key in EXPRESSION_KEYS and isinstance(value, list):
        _check_fields_info(path, value)
    elif _is_loader_config(path):
        for group, fields_info in (value.items() if isinstance(value, dict) else [("", value)]):
            _check_fields_info(f"{path}.{group}" if group != "" else path, fields_info)
    slot = LIST_SLOTS.get(parent_key) if isinstance(key, int) else SLOTS.get(key)
    if isinstance(value, dict):
        _check_callable_spec(path, value, slot or ANYWHERE)
    elif isinstance(value, str):
        in_list = isinstance(key, int)
        symbol = key in SYMBOL_KEYS or (in_list and parent_key == "instruments")
        # specs are vetted by their slot, class/func/module_path values with their mapping by _check_callable_spec
        plain = slot is None and key not in ("class", "func", "module_path")
        _check_string(path, value, symbol=symbol, dotted=plain)
        if slot is not None:
            _check_spec_string(path, value, slot)


def _check_callable_spec(path: str, spec: dict[str, Any], slot: Slot) -> None:
    """A mapping that Qlib may turn into an object: {class|func: ..., module_path: ..., kwargs: ...}."""
    module_path: str | None = None
    if "module_path" in spec:
        where = f"{path}.module_path"
        value = spec["module_path"]
        # Qlib executes a module_path ending in .py as a file (qlib.utils.mod.get_module_by_module_path).
        if not (isinstance(value, str) and _DOTTED_IDENTIFIER.fullmatch(value)) or value.lower().endswith(".py"):
            raise ConfigError(
                f"{where} {value!r} is not allowed: it must be a dotted Python module name, not a file path", path=where
            )
        if not is_allowed_module(value, slot):
            raise ConfigError(f"{where} {value!r} is not allowed: {_accepts(slot)}", path=where)
        module_path = value
    pairs = []
    for key in ("class", "func"):
        if key not in spec:
            continue
        where = f"{path}.{key}"
        name = spec[key]
        if not isinstance(name, str) or not _DOTTED_IDENTIFIER.fullmatch(name):
            raise ConfigError(f"{where} {name!r} is not allowed: it must be a class or function name", path=where)
        pairs.append(_check_class(where, name, module_path, slot))
    kwargs = spec.get("kwargs")
    if not pairs or kwargs is None:
        return
    if not isinstance(kwargs, dict):
        raise ConfigError(f"{path}.kwargs must be a mapping, not a {_type_name(kwargs)}", path=f"{path}.kwargs")
    for pair in pairs:
        for key, (fine, reason) in KWARG_RULES.get(pair, {}).items():
            if key in kwargs and not fine(kwargs[key]):
                raise ConfigError(f"{path}.kwargs.{key} {_one_line(repr(kwargs[key]), 80)} is not allowed: {reason}",
                                  path=f"{path}.kwargs.{key}")


def _check_class(where: str, name: str, module_path: str | None, slot: Slot) -> tuple[str, str]:
    """Resolve ``name`` as Qlib would at ``slot`` (dotted module, else module_path, else its default); vet the pair."""
    if not slot.classes:
        raise ConfigError(f"{where} {name!r} is not allowed: {_accepts(slot)}", path=where)
    module, _, attr = name.rpartition(".")
    module = module or module_path or slot.default_module or ""
    if not module:
        example = min(f"{m}.{c}" for m, names in slot.classes.items() for c in names)
        raise ConfigError(
            f"{where} {name!r} is not allowed: {slot.title} must name its module (module_path, or a dotted name such "
            f"as {example})", path=where
        )
    classes = slot.classes.get(module)
    if classes is None:
        raise ConfigError(f"{where} {name!r} is not allowed: {_accepts(slot)}", path=where)
    if attr not in classes:
        raise ConfigError(
            f"{where} {name!r} is not allowed: {slot.title} from {module} may only be {', '.join(sorted(classes))}",
            path=where,
        )
    return module, attr


def _check_string(path: str, value: str, *, symbol: bool = False, dotted: bool = True) -> None:
    """Rules for every string anywhere: Qlib's loaders act on some string shapes wherever they occur."""
    stripped = value.strip(_C0_AND_SPACE).lower()
    try:
        scheme = urlparse(value).scheme
    except ValueError:
        scheme = ""
    if stripped.startswith("file:") or scheme == "file":
        raise ConfigError(f"{path}: file: URIs are not allowed (Qlib unpickles them)")
    if stripped.endswith((".pkl", ".pickle")):
        raise ConfigError(f"{path}: pickle files are not allowed")
    if stripped.endswith(".py") or ".py." in stripped:
        raise ConfigError(f"{path}: Python files are not allowed")
    if "__" in value:
        raise ConfigError(f"{path}: strings with '__' are not allowed")
    if _PLACEHOLDER_PREFIX.match(value) and value not in KNOWN_PLACEHOLDERS:
        known = ", ".join(sorted(KNOWN_PLACEHOLDERS))
        raise ConfigError(f"{path} {_one_line(value, 80)!r} is not allowed: the only placeholders are {known}")
    if symbol:
        if not _SYMBOL.fullmatch(value) or ".." in value:
            raise ConfigError(f"{path} {_one_line(value, 80)!r} is not a market name or instrument symbol")
        return
    # Some Qlib classes build objects from dotted names in their kwargs: each must be an allowlisted pair or module.
    if dotted and _DOTTED_NAME.fullmatch(value) and not is_allowed_module(value):
        module, _, attr = value.rpartition(".")
        if attr not in ANYWHERE.classes.get(module, frozenset()):
            raise ConfigError(f"{path} {value!r} is not allowed: {_accepts(ANYWHERE)}")
    if _LOOKS_LIKE_EXPRESSION.search(value):
        _check_expression(path, value)


_C0_AND_SPACE = "".join(chr(c) for c in range(33))


def _check_spec_string(path: str, value: str, slot: Slot) -> None:
    """A string where Qlib expects an object spec: a placeholder or a (dotted) class name."""
    if value in KNOWN_PLACEHOLDERS:
        return
    if not _DOTTED_IDENTIFIER.fullmatch(value):
        raise ConfigError(f"{path} {value!r} is not allowed: expected a class name or a placeholder like <MODEL>")
    _check_class(path, value, None, slot)


def _is_loader_config(path: str) -> bool:
    """``config`` of a data loader's kwargs: QlibDataLoader eval()s each group's expressions."""
    parts = path.split(".")
    if parts[-2:] != ["kwargs", "config"] or len(parts) < 3:
        return False
    return parts[-3] in ("data_loader", "handler_config") or (
        len(parts) >= 4 and parts[-4] == "dataloader_l" and parts[-3].isdigit()
    )


def _check_fields_info(path: str, fields_info: Any) -> None:
    """A data loader's fields, as Qlib's DLWParser reads them: a list of expressions (their own names), or a pair
    [expressions, names]. Every expression must parse, whatever it looks like; names are plain strings."""
    if not isinstance(fields_info, list) or not fields_info:
        return  # not something Qlib's loader reads as fields (it fails on it before evaluating anything)
    first = fields_info[0]
    exprs, where = (first, f"{path}.0") if isinstance(first, list) else (fields_info, path)
    for i, item in enumerate(exprs):
        if not isinstance(item, str):
            raise ConfigError(f"{where}.{i} must be a Qlib expression string, not a {_type_name(item)}",
                              path=f"{where}.{i}")
        _check_expression(f"{where}.{i}", item)


def _check_expression(path: str, value: str) -> None:
    """Qlib eval()s expressions: only what our parser accepts (Qlib operators, $fields, numbers) may reach it.

    Look-ahead is not refused here: labels are written with negative Refs (``Ref($close, -2)``)."""
    try:
        parse(value)
    except ExprError as e:
        raise ConfigError(f"{path} {_one_line(value, 80)!r} is not allowed as a Qlib expression: {e}", path=path,
                          offset=e.position, expected=e.expected) from None


def vet(text: str, overrides: dict[str, Any]) -> dict[str, Any]:
    """What a job's config goes through before it runs: load, apply the overrides, vet; the config as it will run."""
    config = apply_overrides(load_config(text), overrides)
    validate_config(config)
    return config


# -------------------------------------------------------------------------------------------- positions

_MERGE_TAG = "tag:yaml.org,2002:merge"


def error_position(text: str, error: ConfigError, overrides: Mapping[str, Any] | None = None) -> tuple[int | None,
                                                                                                       int | None]:
    """The 1-based (line, column) of a refusal in ``text``: where the parser stopped, else where the refused path is
    written; (None, None) when the text does not hold it (a missing key, a value an override set or would set)."""
    if error.line is not None:
        return error.line, error.column
    path = error.path
    if path is None or any(path == o or path.startswith(f"{o}.") for o in (overrides or {})):
        return None, None
    return position_of(text, path, key=error.at_key, offset=error.offset)


def position_of(text: str, path: str, *, key: bool = False, offset: int | None = None) -> tuple[int | None,
                                                                                                  int | None]:
    """The 1-based (line, column) where the value at dotted ``path`` is written in YAML ``text`` (its key when ``key``,
    or when the value is a mapping or a list); follows list indexes and ``<<`` merge keys. A value reached through an
    alias is where its anchor defines it. (None, None) when the path is not in the text. With ``offset``, the column
    of that character of a string value written on one line without escapes (else the value's start)."""
    try:
        node: yaml.Node | None = yaml.compose(text, Loader=ConfigLoader)
    except (yaml.YAMLError, RecursionError):
        return None, None
    key_node: yaml.Node | None = None
    for part in path.split("."):
        found = _child(node, part, set())
        if found is None:
            return None, None
        key_node, node = found
    assert node is not None
    use_key = key_node is not None and (key or isinstance(node, (yaml.MappingNode, yaml.SequenceNode)))
    mark = (key_node if use_key and key_node is not None else node).start_mark
    column = mark.column + 1
    if offset is not None and not use_key and isinstance(node, yaml.ScalarNode):
        column += _offset_in_scalar(text, node, offset)
    return mark.line + 1, column


def _offset_in_scalar(text: str, node: yaml.ScalarNode, offset: int) -> int:
    """Columns from a scalar's start to character ``offset`` of its value, where the text holds the value verbatim."""
    start, end = node.start_mark, node.end_mark
    if start.line != end.line or not 0 <= offset <= len(node.value):
        return 0
    raw = text[start.index:end.index]
    if node.style is None and raw == node.value:
        return offset
    if node.style in ("'", '"') and raw[1:-1] == node.value:
        return offset + 1
    return 0


def _child(node: yaml.Node | None, part: str, seen: set[int]) -> tuple[yaml.Node | None, yaml.Node] | None:
    """(key node, value node) of ``part`` under ``node`` as the safe loader builds it: the last of repeated keys,
    explicit keys before merged ones, a later ``<<`` before an earlier one, the first mapping of a merged list first."""
    if node is None or id(node) in seen:
        return None
    seen.add(id(node))
    if isinstance(node, yaml.SequenceNode):
        if part.isdigit() and int(part) < len(node.value):
            return None, node.value[int(part)]
        return None
    if not isinstance(node, yaml.MappingNode):
        return None
    found: tuple[yaml.Node | None, yaml.Node] | None = None
    merges: list[yaml.Node] = []
    for k, v in node.value:
        if k.tag == _MERGE_TAG:
            merges.append(v)
        elif _key_text(k) == part:
            found = (k, v)
    if found is not None:
        return found
    for merged in reversed(merges):
        for source in merged.value if isinstance(merged, yaml.SequenceNode) else [merged]:
            found = _child(source, part, seen)
            if found is not None:
                return found
    return None


def _key_text(node: yaml.Node) -> str | None:
    """A mapping key as the vetting writes it in a path: ``str()`` of what the safe loader makes of it."""
    if not isinstance(node, yaml.ScalarNode):
        return None
    if node.tag == "tag:yaml.org,2002:str":
        return str(node.value)
    try:
        return str(yaml.constructor.SafeConstructor().construct_object(node))
    except (yaml.YAMLError, ValueError, TypeError):
        return str(node.value)


# -------------------------------------------------------------------------------------------- preparing


def prepare_config(
    config: dict[str, Any],
    *,
    provider_uri: str,
    tracking_uri: str,
    experiment_name: str,
    kernels: int | None = None,
) -> dict[str, Any]:
    """Return a copy whose qlib_init reads the given dataset folder and logs to the platform's MLflow."""
    result = copy.deepcopy(config)
    user_init = result.get("qlib_init") or {}
    qlib_init: dict[str, Any] = {k: v for k, v in user_init.items() if k not in QLIB_INIT_REPLACED}
    qlib_init["provider_uri"] = provider_uri
    qlib_init["region"] = user_init.get("region") or "cn"
    qlib_init["exp_manager"] = {
        "class": "MLflowExpManager",
        "module_path": "qlib.workflow.expm",
        "kwargs": {"uri": tracking_uri, "default_exp_name": experiment_name},
    }
    if kernels is not None:
        qlib_init["kernels"] = kernels
    result["qlib_init"] = qlib_init
    return result


# ------------------------------------------------------------------------------------ hashing & params


def config_hash(text: str) -> str:
    """sha256 hex digest of the config text (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def flatten_params(config: dict[str, Any]) -> dict[str, str]:
    """Flatten a config into MLflow params: dotted keys (list items by index) to string values.

    Lists of plain values become one JSON value; lists holding mappings are flattened by index
    (``task.record.0.class``). Keys are cut to MLflow's 250 characters (with a hash suffix to keep them
    apart), values to 6,000.
    """
    flat: dict[str, str] = {}
    for key, value in _flatten(config, ""):
        key = _param_key(key)
        base, n = key, 1
        while key in flat:
            n += 1
            key = _param_key(f"{base}~{n}")
        flat[key] = _param_value(value)
    return flat


def _flatten(node: Any, prefix: str) -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        if not node and prefix:
            yield prefix, node
        for k, v in node.items():
            yield from _flatten(v, f"{prefix}.{k}" if prefix else str(k))
    elif isinstance(node, list) and any(isinstance(v, (dict, list)) for v in node):
        for i, v in enumerate(node):
            yield from _flatten(v, f"{prefix}.{i}" if prefix else str(i))
    else:
        yield prefix, node


def _param_key(key: str) -> str:
    key = _PARAM_KEY_BAD_CHARS.sub("_", key) or "_"
    if len(key) > MAX_PARAM_KEY:
        digest = hashlib.sha1(key.encode()).hexdigest()[:8]
        key = key[: MAX_PARAM_KEY - 9] + "~" + digest
    return key


def _param_value(value: Any) -> str:
    if isinstance(value, (list, dict)):
        text = json.dumps(value, default=_json_default, ensure_ascii=False)
    else:
        text = _scalar_text(value)
    return text if len(text) <= MAX_PARAM_VALUE else text[: MAX_PARAM_VALUE - 3] + "..."


def _scalar_text(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def _json_default(value: Any) -> str:
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else str(value)
