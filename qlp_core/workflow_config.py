"""Load, override, vet and prepare qrun-format workflow YAML before Qlib sees any of it."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import yaml

MAX_CONFIG_BYTES = 512 * 1024
# YAML aliases share nodes: a small text can expand into a huge tree when walked ("billion laughs").
MAX_CONFIG_NODES = 100_000
MAX_CONFIG_DEPTH = 64

# The only modules a workflow may load classes or functions from: these packages and their submodules.
ALLOWED_MODULE_PREFIXES: tuple[str, ...] = ("qlib", "trainers")
# Inside the allowlist, modules whose callables read pickles or files, run commands, re-initialise Qlib,
# talk to other servers or re-enter the workflow machinery. Each entry also covers its submodules.
DENIED_MODULES: tuple[str, ...] = (
    "qlib.cli",  # qrun itself: reads and runs other workflow files
    "qlib.config",
    "qlib.contrib.online",  # pickle.load of user paths
    "qlib.contrib.report",  # eval() of graph names
    "qlib.contrib.rolling",  # pickle.load
    "qlib.contrib.tuner",  # subprocess with shell=True
    "qlib.data.client",  # connects to a data server
    "qlib.rl",  # torch.load / pd.read_pickle of user paths
    "qlib.run",  # downloads data
    "qlib.tests",  # downloads data
    "qlib.utils",  # get_module_by_module_path, init_instance_by_config, pickle helpers
    "qlib.workflow.cli",
    "qlib.workflow.exp",
    "qlib.workflow.expm",  # would redirect tracking; the platform sets it
    "qlib.workflow.online",
    "qlib.workflow.recorder",
    "qlib.workflow.task",  # MongoDB task manager, pickle.loads
    "qlib.workflow.utils",
    # the platform's own worker side: running jobs, talking to the API, Celery, writing data folders
    "trainers.api_client",
    "qlp_core.celery_contract",
    "trainers.executor",
    "trainers.market",
    "qlp_core.qlib_data",
    "trainers.runner",
    "trainers.worker",
    "qlp_core.workflow_config",
)
# Exact modules (not their submodules) that are refused: qlib.init & co. (NFS mounts run shell commands),
# the R recorder wrapper.
DENIED_EXACT_MODULES: frozenset[str] = frozenset({"qlib", "qlib.workflow"})
# Classes that unpickle whatever file they are pointed at, whatever its extension.
DENIED_CLASS_NAMES: frozenset[str] = frozenset({"StaticDataLoader"})

# Keys whose string values Qlib hands to init_instance_by_config (a class spec, a pickle URI or a placeholder).
SPEC_KEYS: frozenset[str] = frozenset(
    {
        "model",
        "dataset",
        "handler",
        "strategy",
        "executor",
        "inner_executor",
        "inner_strategy",
        "exchange",
        "trade_exchange",
        "data_loader",
        "reweighter",
        "signal",
        "handler_config",
        "pos_type",
        "state_interpreter",
        "action_interpreter",
    }
)
# Keys whose list items are specs.
SPEC_LIST_KEYS: frozenset[str] = frozenset(
    {"record", "infer_processors", "learn_processors", "processors", "filter_pipe", "inst_processors", "dataloader_l"}
)

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

# Operators of Qlib's expression engine (qlib.data.ops.OpsList plus the PIT ones). Expressions are turned into
# Python source and eval()'d by Qlib, so every string that may be one must use only these names.
QLIB_EXPRESSION_OPERATORS: frozenset[str] = frozenset(
    {
        "Abs", "Add", "And", "ChangeInstrument", "Corr", "Count", "Cov", "Delta", "Div", "EMA", "Eq",
        "Feature", "Ge", "Greater", "Gt", "IdxMax", "IdxMin", "If", "Kurt", "Le", "Less", "Log", "Lt",
        "Mad", "Mask", "Max", "Mean", "Med", "Min", "Mul", "Ne", "Not", "Or", "P", "PFeature", "PRef",
        "Power", "Quantile", "Rank", "Ref", "Resi", "Rolling", "Rsquare", "Sign", "Skew", "Slope", "Std",
        "Sub", "Sum", "TResample", "Var", "WMA",
    }
)  # fmt: skip
_EXPR_TOKEN = re.compile(
    r"""\s+
    | (?P<field>\$\$?\w+)
    | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
    | (?P<name>[A-Za-z_]\w*)
    | (?P<quoted>'[\w.\- ]*'|"[\w.\- ]*")
    | (?P<punct>[-+*/%(),<>=!&|~^])
    """,
    re.VERBOSE,
)
_LOOKS_LIKE_EXPRESSION = re.compile(r"\(|\$\w")
_DOTTED_IDENTIFIER = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*", re.ASCII)
_DOTTED_NAME = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+", re.ASCII)
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


class ConfigError(ValueError):
    """A workflow config is refused; the message is a human reason, fit for a 4xx response."""


# ---------------------------------------------------------------------------------------------- loading


def load_config(text: str) -> dict[str, Any]:
    """Parse qrun YAML safely (anchors and aliases work, Python tags do not) and check its shape."""
    if not isinstance(text, str):
        raise ConfigError("the workflow config must be text")
    size = len(text.encode("utf-8", errors="replace"))
    if size > MAX_CONFIG_BYTES:
        raise ConfigError(f"the workflow config is {size} bytes; at most {MAX_CONFIG_BYTES} bytes are accepted")
    try:
        config = yaml.safe_load(text)
    except yaml.constructor.ConstructorError as e:
        raise ConfigError(_yaml_error_message(e)) from None
    except yaml.YAMLError as e:
        raise ConfigError(f"invalid YAML: {_one_line(str(e))}") from None
    except RecursionError:
        raise ConfigError("invalid YAML: nested too deeply") from None
    if config is None:
        raise ConfigError("the workflow config is empty")
    if not isinstance(config, dict):
        raise ConfigError(f"the workflow config must be a mapping, not a {_type_name(config)}")
    _check_size(config)
    _check_structure(config)
    return config


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
        raise ConfigError("task is missing")
    if not isinstance(task, dict):
        raise ConfigError(f"task must be a mapping, not a {_type_name(task)}")
    for key in ("model", "dataset"):
        if task.get(key) is None:
            raise ConfigError(f"task.{key} is missing")


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
        raise ConfigError(f"override path {path!r} is not a dotted path like task.model.kwargs.learning_rate")
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
                raise ConfigError(f"override {path}: {here} is a list, so {part!r} must be an index")
            index = int(part)
            if index >= len(node):
                raise ConfigError(f"override {path}: {here} has {len(node)} items, there is no item {index}")
            if last:
                node[index] = value
            else:
                node = node[index]
        else:
            raise ConfigError(f"override {path}: {here} is a {_type_name(node)}, not a mapping or list")


# ---------------------------------------------------------------------------------------------- vetting


def is_allowed_module(module: str) -> bool:
    """True when ``module`` may be imported by a workflow (see ALLOWED_MODULE_PREFIXES and DENIED_MODULES)."""
    if not any(module == p or module.startswith(p + ".") for p in ALLOWED_MODULE_PREFIXES):
        return False
    if module in DENIED_EXACT_MODULES:
        return False
    return not any(module == d or module.startswith(d + ".") for d in DENIED_MODULES)


def _module_refusal(where: str, module: str) -> ConfigError:
    allowed = " and ".join(f"{p}.*" for p in ALLOWED_MODULE_PREFIXES)
    if any(module == p or module.startswith(p + ".") for p in ALLOWED_MODULE_PREFIXES):
        return ConfigError(f"{where} {module!r} is not allowed: this module is refused for workflows")
    return ConfigError(f"{where} {module!r} is not allowed: only {allowed} modules may be loaded")


def validate_config(config: dict[str, Any]) -> None:
    """Refuse anything that would make Qlib import, unpickle, read or run something outside the allowlist.

    Runs before anything is imported or executed; raises ConfigError saying where and why.
    """
    if not isinstance(config, dict):
        raise ConfigError(f"the workflow config must be a mapping, not a {_type_name(config)}")
    _check_size(config)
    for key, reason in FORBIDDEN_TOP_LEVEL.items():
        if key in config:
            raise ConfigError(f"{key} is not allowed: {reason}")
    _check_structure(config)
    _check_qlib_init(config.get("qlib_init"))
    for path, parent_key, key, value in _walk(config, ""):
        _check_node(path, parent_key, key, value)


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
        raise ConfigError(f"qlib_init must be a mapping, not a {_type_name(qlib_init)}")
    for key, value in qlib_init.items():
        if key not in QLIB_INIT_KEYS:
            allowed = ", ".join(sorted(QLIB_INIT_KEYS))
            raise ConfigError(f"qlib_init.{key} is not allowed: qlib_init may only set {allowed}")
        where = f"qlib_init.{key}"
        if key == "region" and value not in REGIONS:
            raise ConfigError(f"{where} must be one of {', '.join(sorted(REGIONS))}")
        if key == "kernels" and not (isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 256):
            raise ConfigError(f"{where} must be a whole number from 1 to 256")
        if key == "maxtasksperchild" and not (value is None or (isinstance(value, int) and value >= 1)):
            raise ConfigError(f"{where} must be a positive whole number or null")
        if key == "joblib_backend" and value not in JOBLIB_BACKENDS:
            raise ConfigError(f"{where} must be one of {', '.join(sorted(JOBLIB_BACKENDS))}")
        if key == "logging_level" and not (
            (isinstance(value, int) and not isinstance(value, bool))
            or (isinstance(value, str) and value.upper() in LOGGING_LEVELS)
        ):
            raise ConfigError(f"{where} must be a logging level such as INFO or 20")


def _check_node(path: str, parent_key: Any, key: Any, value: Any) -> None:
    if isinstance(key, str) and "__" in key:
        raise ConfigError(f"{path}: keys with '__' are not allowed")
    if isinstance(value, dict):
        _check_callable_spec(path, value)
    elif isinstance(value, str):
        in_list = isinstance(key, int)
        symbol = key in SYMBOL_KEYS or (in_list and parent_key == "instruments")
        # class/func/module_path values are vetted with their mapping by _check_callable_spec.
        spec_part = key in ("class", "func", "module_path")
        _check_string(path, value, symbol=symbol, dotted=not spec_part)
        if key in SPEC_KEYS or (in_list and parent_key in SPEC_LIST_KEYS):
            _check_spec_string(path, value)


def _check_callable_spec(path: str, spec: dict[str, Any]) -> None:
    """A mapping that Qlib may turn into an object: {class|func: ..., module_path: ..., kwargs: ...}."""
    module_path = spec.get("module_path")
    if module_path is not None:
        where = f"{path}.module_path"
        is_module_name = isinstance(module_path, str) and _DOTTED_IDENTIFIER.fullmatch(module_path)
        # Qlib executes a module_path ending in .py as a file (qlib.utils.mod.get_module_by_module_path).
        if not is_module_name or module_path.lower().endswith(".py"):
            raise ConfigError(
                f"{where} {module_path!r} is not allowed: it must be a dotted Python module name, not a file path"
            )
        if not is_allowed_module(module_path):
            raise _module_refusal(where, module_path)
    for key in ("class", "func"):
        if key not in spec:
            continue
        where = f"{path}.{key}"
        name = spec[key]
        if not isinstance(name, str) or not _DOTTED_IDENTIFIER.fullmatch(name):
            raise ConfigError(f"{where} {name!r} is not allowed: it must be a class or function name")
        module, _, attr = name.rpartition(".")
        if module and not is_allowed_module(module):
            raise _module_refusal(where, module)
        if attr.startswith("_"):
            raise ConfigError(f"{where} {name!r} is not allowed: private names cannot be loaded")
        if attr in DENIED_CLASS_NAMES:
            raise ConfigError(f"{where} {name!r} is not allowed: it unpickles files")
    has_callable = "class" in spec or "func" in spec
    if has_callable and spec.get("kwargs") is not None and not isinstance(spec["kwargs"], dict):
        raise ConfigError(f"{path}.kwargs must be a mapping, not a {_type_name(spec['kwargs'])}")


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
    if dotted and _DOTTED_NAME.fullmatch(value):
        module, _, attr = value.rpartition(".")
        if not is_allowed_module(module):
            raise _module_refusal(path, module)
        if attr in DENIED_CLASS_NAMES:
            raise ConfigError(f"{path} {value!r} is not allowed: it unpickles files")
    if _LOOKS_LIKE_EXPRESSION.search(value):
        _check_expression(path, value)


_C0_AND_SPACE = "".join(chr(c) for c in range(33))


def _check_spec_string(path: str, value: str) -> None:
    """A string where Qlib expects an object spec: a placeholder or a (dotted) class name."""
    if value in KNOWN_PLACEHOLDERS:
        return
    if not _DOTTED_IDENTIFIER.fullmatch(value):
        raise ConfigError(f"{path} {value!r} is not allowed: expected a class name or a placeholder like <MODEL>")
    module, _, attr = value.rpartition(".")
    if module and not is_allowed_module(module):
        raise _module_refusal(path, module)
    if attr.startswith("_") or attr in DENIED_CLASS_NAMES:
        raise ConfigError(f"{path} {value!r} is not allowed")


def _check_expression(path: str, value: str) -> None:
    """Qlib eval()s expressions: allow only $fields, numbers, operators, Qlib operator names and simple quotes."""
    pos = 0
    while pos < len(value):
        m = _EXPR_TOKEN.match(value, pos)
        if m is None:
            raise ConfigError(
                f"{path} {_one_line(value, 80)!r} is not allowed: character {value[pos]!r} cannot appear in a "
                "Qlib expression"
            )
        name = m.group("name")
        if name is not None and name not in QLIB_EXPRESSION_OPERATORS:
            raise ConfigError(
                f"{path} {_one_line(value, 80)!r} is not allowed: {name!r} is not a Qlib expression operator"
            )
        pos = m.end()


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
