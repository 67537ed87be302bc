"""The workflow allowlist (qlp_core.workflow_config): exact (module, class) pairs per slot, our own modules refused."""

from __future__ import annotations

import ast
import importlib.util
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from qlp_core.workflow_config import (
    ANYWHERE,
    KWARG_RULES,
    LIST_SLOTS,
    PLATFORM_CLASSES,
    SLOTS,
    ConfigError,
    load_config,
    validate_config,
)

ROOT = Path(__file__).resolve().parents[1]
OWN_PACKAGES = ("platform_api", "trainers", "mlflow_server", "qlp_core", "qlp_cli")

# Every slot filled with an allowed object; the tests put other objects in one slot at a time. No YAML anchors, so
# each node has one path.
BASE = """
qlib_init: {provider_uri: "~/.qlib/qlib_data/demo", region: cn}
task:
  model:
    class: GeneralPTNN
    module_path: qlib.contrib.model.pytorch_general_nn
    kwargs:
      pt_model_uri: qlib.contrib.model.pytorch_nn.Net
      pt_model_kwargs: {input_dim: 2}
  dataset:
    class: DatasetH
    module_path: qlib.data.dataset
    kwargs:
      handler:
        class: DataHandlerLP
        module_path: qlib.data.dataset.handler
        kwargs:
          instruments: demo
          start_time: 2020-01-01
          end_time: 2022-12-20
          data_loader:
            class: NestedDataLoader
            kwargs:
              dataloader_l:
                - class: QlibDataLoader
                  module_path: qlib.data.dataset.loader  # NestedDataLoader has no default module
                  kwargs:
                    config:
                      feature: [["$close", "$volume"], ["CLOSE", "VOLUME"]]
                      label: [["Ref($close, -2)/Ref($close, -1) - 1"], ["LABEL0"]]
                    filter_pipe: []
                - class: qlib.data.dataset.loader.DataLoaderDH
                  kwargs:
                    handler_config:
                      {class: Alpha158, module_path: qlib.contrib.data.handler, kwargs: {instruments: demo}}
          infer_processors: [{class: Fillna, kwargs: {fields_group: feature}}]
          learn_processors: [DropnaLabel]
          shared_processors: [{class: ProcessInf, module_path: qlib.data.dataset.processor}]
      segments: {train: [2020-01-01, 2021-06-30], test: [2022-01-01, 2022-12-20]}
  record:
    - SignalRecord
    - class: PortAnaRecord
      kwargs:
        config:
          strategy:
            class: TopkDropoutStrategy
            module_path: qlib.contrib.strategy
            kwargs: {signal: <PRED>, topk: 10, n_drop: 2}
          executor:
            class: NestedExecutor
            module_path: qlib.backtest.executor
            kwargs:
              time_per_step: day
              inner_executor:
                class: qlib.backtest.executor.SimulatorExecutor
                kwargs: {time_per_step: 30min}
              inner_strategy: qlib.contrib.strategy.rule_strategy.TWAPStrategy
          backtest:
            start_time: 2022-01-01
            end_time: 2022-12-20
            account: 100000000
            benchmark: DEMOIDX
            pos_type: Position
            exchange_kwargs:
              exchange: {class: Exchange, module_path: qlib.backtest.exchange, kwargs: {freq: day, deal_price: close}}
"""
HANDLER_KWARGS = ("task", "dataset", "kwargs", "handler", "kwargs")
LOADERS = (*HANDLER_KWARGS, "data_loader", "kwargs", "dataloader_l")
PORT = ("task", "record", 1, "kwargs", "config")
EXECUTOR_KWARGS = (*PORT, "executor", "kwargs")
# Where each slot is in BASE: (path, whether the slot is an item of the list at that path).
POSITIONS: dict[str, tuple[tuple[str | int, ...], bool]] = {
    "model": (("task", "model"), False),
    "pt_model_uri": (("task", "model", "kwargs", "pt_model_uri"), False),
    "dataset": (("task", "dataset"), False),
    "handler": (("task", "dataset", "kwargs", "handler"), False),
    "data_loader": ((*HANDLER_KWARGS, "data_loader"), False),
    "dataloader_l": (LOADERS, True),
    "handler_config": ((*LOADERS, 1, "kwargs", "handler_config"), False),
    "filter_pipe": ((*LOADERS, 0, "kwargs", "filter_pipe"), True),
    "infer_processors": ((*HANDLER_KWARGS, "infer_processors"), True),
    "learn_processors": ((*HANDLER_KWARGS, "learn_processors"), True),
    "shared_processors": ((*HANDLER_KWARGS, "shared_processors"), True),
    "inst_processors": ((*HANDLER_KWARGS, "inst_processors"), True),
    "record": (("task", "record"), True),
    "record (one mapping)": (("task", "record"), False),
    "strategy": ((*PORT, "strategy"), False),
    "signal": ((*PORT, "strategy", "kwargs", "signal"), False),
    "executor": ((*PORT, "executor"), False),
    "inner_executor": ((*EXECUTOR_KWARGS, "inner_executor"), False),
    "inner_strategy": ((*EXECUTOR_KWARGS, "inner_strategy"), False),
    "trade_exchange": ((*EXECUTOR_KWARGS, "trade_exchange"), False),
    "exchange": ((*PORT, "backtest", "exchange_kwargs", "exchange"), False),
    "pos_type": ((*PORT, "backtest", "pos_type"), False),
    "reweighter": (("task", "reweighter"), False),
    "state_interpreter": (("task", "model", "kwargs", "state_interpreter"), False),
    "action_interpreter": (("task", "model", "kwargs", "action_interpreter"), False),
    "processors": (("task", "model", "kwargs", "processors"), True),
    "no slot (a model kwarg)": (("task", "model", "kwargs", "anything"), False),
    "no slot (top level)": (("extra",), False),
}
_MISSING = object()


@pytest.fixture(scope="module")
def base() -> dict[str, Any]:
    return load_config(BASE)


@contextmanager
def placed(config: dict[str, Any], position: str, value: Any) -> Iterator[str]:
    """Put ``value`` into the slot at ``position`` for the duration; yields the path Qlib would see it at."""
    path, in_list = POSITIONS[position]
    parent: Any = config
    for key in path[:-1]:
        parent = parent[key]
    key = path[-1]
    old = parent.get(key, _MISSING)
    parent[key] = [value] if in_list else value
    try:
        yield ".".join(map(str, path)) + (".0" if in_list else "")
    finally:
        if old is _MISSING:
            del parent[key]
        else:
            parent[key] = old


def refusal(config: dict[str, Any]) -> str:
    with pytest.raises(ConfigError) as info:
        validate_config(config)
    return str(info.value)


def test_the_base_config_is_accepted_and_positions_cover_every_slot(base: dict[str, Any]) -> None:
    validate_config(base)
    keys = {path[-1] for path, _ in POSITIONS.values()}
    assert set(SLOTS) | set(LIST_SLOTS) <= keys


# ------------------------------------------------------------------------------------------ our own modules


def own_modules() -> Iterator[tuple[str, list[str]]]:
    """(module name, its public top-level names) for every Python file of our packages, nothing imported.

    Walks the files rather than pkgutil's packages so that folders without __init__.py (importable as namespace
    packages, e.g. platform_api/migrations) are covered too. The names it defines come first, then those it imports
    (getattr reaches them too); "main" stands in where there are none.
    """
    for package in OWN_PACKAGES:
        for file in sorted((ROOT / package).rglob("*.py")):
            parts = file.relative_to(ROOT).with_suffix("").parts
            module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            defined: set[str] = set()
            imported: set[str] = set()
            for node in ast.parse(file.read_text()).body:
                if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                    defined.add(node.name)
                elif isinstance(node, ast.ImportFrom):
                    imported.update(alias.asname or alias.name for alias in node.names)
            public = [n for n in [*sorted(defined), *sorted(imported - defined)] if not n.startswith("_") and n != "*"]
            yield module, public or ["main"]


OWN_MODULES = {module: names for module, names in own_modules() if module not in PLATFORM_CLASSES}


def test_the_walk_finds_our_modules() -> None:
    assert {"trainers.datasets", "trainers.probe", "qlp_core.workflow_config", "platform_api.app"} <= set(OWN_MODULES)
    assert "platform_api.migrations.env" in OWN_MODULES
    assert "make_read_only" in OWN_MODULES["trainers.datasets"]  # imported there from qlp_core.qlib_data
    assert len(OWN_MODULES) > 50
    # the modules of ours a workflow may name (a factor set's, later) exist
    assert {module for module, _ in own_modules()} >= set(PLATFORM_CLASSES)


def spec_forms(module: str, name: str) -> dict[str, tuple[Any, str]]:
    """The ways a config can name ``module.name``: form -> (value, suffix of the path that is refused)."""
    return {
        "module_path": ({"class": name, "module_path": module, "kwargs": {}}, ".module_path"),
        "dotted class": ({"class": f"{module}.{name}"}, ".class"),
        "dotted func": ({"func": f"{module}.{name}"}, ".func"),
        "dotted string": (f"{module}.{name}", ""),
    }


def misses(config: dict[str, Any], position: str, form: str, targets: list[tuple[str, str]]) -> list[str]:
    """The targets that ``validate_config`` does not refuse at ``position`` with a message naming its path."""
    found = []
    for module, name in targets:
        value, suffix = spec_forms(module, name)[form]
        with placed(config, position, value) as path:
            where = path + suffix
            try:
                validate_config(config)
            except ConfigError as e:
                if not str(e).startswith((f"{where} ", f"{where}:")):
                    found.append(f"{module}.{name}: refused, but not for {where}: {e}")
            else:
                found.append(f"{module}.{name}: accepted at {where}")
    return found


@pytest.mark.parametrize("form", list(spec_forms("m", "c")))
@pytest.mark.parametrize("position", list(POSITIONS))
def test_no_module_of_ours_is_accepted_in_any_slot(base: dict[str, Any], position: str, form: str) -> None:
    found = misses(base, position, form, [(module, names[0]) for module, names in OWN_MODULES.items()])
    assert not found, "\n".join(found[:20])


@pytest.mark.parametrize("form", list(spec_forms("m", "c")))
def test_no_name_of_our_modules_is_accepted_as_a_model(base: dict[str, Any], form: str) -> None:
    targets = [(module, name) for module, names in OWN_MODULES.items() for name in names]
    found = misses(base, "model", form, targets)
    assert not found, "\n".join(found[:20])


@pytest.mark.parametrize(
    "spec",
    [
        {"class": "make_read_only", "module_path": "trainers.datasets"},
        {"class": "main", "module_path": "trainers.probe"},
        {"class": "trainers.probe.main"},
        {"func": "main", "module_path": "trainers.probe"},
        {"class": "run_job", "module_path": "trainers.runner"},
        {"class": "validate_config", "module_path": "qlp_core.workflow_config"},
    ],
)
def test_the_reported_holes_are_closed(base: dict[str, Any], spec: dict[str, str]) -> None:
    with placed(base, "model", spec):
        message = refusal(base)
    assert message.startswith("task.model.")
    assert "is not allowed: a model may only come from qlib.contrib.model." in message


@pytest.mark.parametrize(
    ("position", "spec", "expected"),
    [
        # names a module merely imports are reachable through getattr: only the listed classes are accepted
        (
            "dataset",
            {"class": "init_instance_by_config", "module_path": "qlib.data.dataset"},
            "task.dataset.class 'init_instance_by_config' is not allowed: a dataset from qlib.data.dataset may only "
            "be DatasetH, TSDatasetH",
        ),
        ("data_loader", {"class": "load_dataset"}, "a data loader from qlib.data.dataset.loader may only be"),
        ("data_loader", {"class": "StaticDataLoader", "kwargs": {"config": "/data/x.bin"}}, "may only be"),
        ("data_loader", "qlib.data.dataset.loader.StaticDataLoader", "may only be"),
        ("infer_processors", {"class": "get_callable_kwargs"}, "a processor from qlib.data.dataset.processor"),
        ("record", "pickle", "a record from qlib.workflow.record_temp may only be"),
        ("model", {"class": "get_or_create_path", "module_path": "qlib.contrib.model.pytorch_nn"}, "may only be"),
        # a module that fits another slot
        ("model", {"class": "DatasetH", "module_path": "qlib.data.dataset"}, "a model may only come from"),
        ("handler", "qlib.contrib.model.gbdt.LGBModel", "a data handler may only come from"),
        # Qlib's defaults are resolved per slot; where there is none, the module must be named
        ("infer_processors", {"class": "Fillna", "module_path": "qlib.data.dataset.loader"}, "a processor may"),
        ("handler", "Alpha158", "a data handler must name its module"),
        ("strategy", {"class": "TopkDropoutStrategy"}, "a strategy must name its module"),
        ("dataloader_l", {"class": "QlibDataLoader"}, "a data loader must name its module"),
        ("no slot (a model kwarg)", {"class": "LGBModel"}, "a class at this position must name its module"),
        ("reweighter", "Reweighter", "a class at this position must name its module"),
        ("inst_processors", {"class": "Resample1minProcessor", "module_path": "features_sample"}, "cannot be given"),
        ("pos_type", "InfPositionX", "a position type from qlib.backtest.position may only be InfPosition, Position"),
        ("model", {"class": "LGBModel", "module_path": None}, "must be a dotted Python module name"),
        # what Qlib leaves to the caller is refused too
        ("signal", {"class": "Signal", "module_path": "qlib.backtest.signal"}, "may only be ModelSignal, SignalWCache"),
        ("executor", {"class": "BaseExecutor", "module_path": "qlib.backtest.executor"}, "may only be"),
        ("strategy", {"class": "qlib.contrib.strategy.EnhancedIndexingStrategy"}, "a strategy from qlib.contrib"),
        ("strategy", {"class": "qlib.contrib.strategy.rule_strategy.FileOrderStrategy"}, "may only be"),
        ("model", "qlib.contrib.model.pytorch_hist.HIST", "a model may only come from"),
        ("no slot (top level)", "qlib.utils.mod.init_instance_by_config", "a class at this position may only come"),
        ("no slot (a model kwarg)", {"class": "qlib.contrib.online.manager.UserManager"}, "may only come from"),
    ],
)
def test_slot_refusals(base: dict[str, Any], position: str, spec: Any, expected: str) -> None:
    with placed(base, position, spec) as path:
        message = refusal(base)
    assert message.startswith(path)
    assert expected in message


@pytest.mark.parametrize(
    ("model", "kwargs", "expected"),
    [
        ("qlib.contrib.model.pytorch_gats.GATs", {"model_path": "benchmarks/LSTM/model.bin"}, "torch.load()s"),
        ("qlib.contrib.model.pytorch_gats_ts.GATs", {"model_path": "x"}, "torch.load()s"),
        ("qlib.contrib.model.pytorch_igmtf.IGMTF", {"model_path": "x"}, "torch.load()s"),
        ("qlib.contrib.model.pytorch_add.ADD", {"model_path": "x"}, "torch.load()s"),
        ("qlib.contrib.model.pytorch_tabnet.TabnetModel", {"pretrain_file": "/app/x"}, "writes and then"),
        ("qlib.contrib.model.pytorch_tra.TRAModel", {"model_type": "open"}, "Qlib eval()s it"),
        ("qlib.contrib.model.pytorch_tra.TRAModel", {"init_state": "state.bin"}, "torch.load()s"),
        ("qlib.contrib.model.pytorch_tra.TRAModel", {"logdir": "../../etc"}, "a relative folder"),
        ("qlib.contrib.model.pytorch_tra.TRAModel", {"logdir": "/etc/cron.d"}, "a relative folder"),
    ],
)
def test_kwargs_that_name_files_or_code_are_refused(
    base: dict[str, Any], model: str, kwargs: dict[str, Any], expected: str
) -> None:
    key = next(iter(kwargs))
    with placed(base, "model", {"class": model, "kwargs": kwargs}):
        message = refusal(base)
    assert message.startswith(f"task.model.kwargs.{key} ")
    assert expected in message
    if key != "model_type":  # left unset, the model is fine
        module, _, name = model.rpartition(".")
        with placed(base, "model", {"class": name, "module_path": module, "kwargs": {key: None}}):
            validate_config(base)


def test_kwarg_rules_name_allowlisted_classes() -> None:
    for module, name in KWARG_RULES:
        assert name in ANYWHERE.classes[module]


# --------------------------------------------------------------------------------- Qlib's benchmark configs

# Every (slot, module_path, class) of microsoft/qlib examples/benchmarks/*/workflow_config_*.yaml (commit d5379c5,
# April 2026), with a file it comes from (Folder/name for Folder/workflow_config_name.yaml; +N: and N other files);
# module_path None: the config names the class alone and Qlib's default module for the slot applies.
# Skipped: TFT/workflow_config_tft_Alpha158.yaml (TensorFlow 1.x, sys.rel_path),
# LightGBM/workflow_config_lightgbm_multi_freq.yaml and _Alpha158_multi_freq.yaml (their handler and processors are
# .py files beside them), HIST/workflow_config_hist_Alpha360.yaml (np.load(allow_pickle=True) of .npy files beside
# it, so HIST is not allowlisted). GATs and IGMTF configs name a pretrained LSTM pickle beside them in model_path
# (refused, see above); their models are allowed without it, so their pairs are here.
BENCHMARK_PAIRS: list[tuple[str, str | None, str]] = [
    ("model", "qlib.contrib.model.catboost_model", "CatBoostModel"),  # CatBoost/catboost_Alpha158 +3 more
    ("model", "qlib.contrib.model.double_ensemble", "DEnsembleModel"),  # DoubleEnsemble/doubleensemble_Alpha158 +4 more
    ("model", "qlib.contrib.model.gbdt", "LGBModel"),  # LightGBM/lightgbm_Alpha158 +4 more
    ("model", "qlib.contrib.model.linear", "LinearModel"),  # Linear/linear_Alpha158 +2 more
    ("model", "qlib.contrib.model.pytorch_adarnn", "ADARNN"),  # ADARNN/adarnn_Alpha360
    ("model", "qlib.contrib.model.pytorch_add", "ADD"),  # ADD/add_Alpha360
    ("model", "qlib.contrib.model.pytorch_alstm", "ALSTM"),  # ALSTM/alstm_Alpha360
    ("model", "qlib.contrib.model.pytorch_alstm_ts", "ALSTM"),  # ALSTM/alstm_Alpha158
    ("model", "qlib.contrib.model.pytorch_gats", "GATs"),  # GATs/gats_Alpha360
    ("model", "qlib.contrib.model.pytorch_gats_ts", "GATs"),  # GATs/gats_Alpha158
    ("model", "qlib.contrib.model.pytorch_general_nn", "GeneralPTNN"),  # GeneralPtNN/gru +2 more
    ("model", "qlib.contrib.model.pytorch_gru", "GRU"),  # GRU/gru_Alpha360
    ("model", "qlib.contrib.model.pytorch_gru_ts", "GRU"),  # GRU/gru_Alpha158
    ("model", "qlib.contrib.model.pytorch_igmtf", "IGMTF"),  # IGMTF/igmtf_Alpha360
    ("model", "qlib.contrib.model.pytorch_krnn", "KRNN"),  # KRNN/krnn_Alpha360
    ("model", "qlib.contrib.model.pytorch_localformer", "LocalformerModel"),  # Localformer/localformer_Alpha360
    ("model", "qlib.contrib.model.pytorch_localformer_ts", "LocalformerModel"),  # Localformer/localformer_Alpha158
    ("model", "qlib.contrib.model.pytorch_lstm", "LSTM"),  # LSTM/lstm_Alpha360
    ("model", "qlib.contrib.model.pytorch_lstm_ts", "LSTM"),  # LSTM/lstm_Alpha158
    ("model", "qlib.contrib.model.pytorch_nn", "DNNModelPytorch"),  # MLP/mlp_Alpha158 +3 more
    ("model", "qlib.contrib.model.pytorch_sandwich", "Sandwich"),  # Sandwich/sandwich_Alpha360
    ("model", "qlib.contrib.model.pytorch_sfm", "SFM"),  # SFM/sfm_Alpha360
    ("model", "qlib.contrib.model.pytorch_tabnet", "TabnetModel"),  # TabNet/TabNet_Alpha158 +1 more
    ("model", "qlib.contrib.model.pytorch_tcn", "TCN"),  # TCN/tcn_Alpha360
    ("model", "qlib.contrib.model.pytorch_tcn_ts", "TCN"),  # TCN/tcn_Alpha158
    ("model", "qlib.contrib.model.pytorch_tcts", "TCTS"),  # TCTS/tcts_Alpha360
    ("model", "qlib.contrib.model.pytorch_tra", "TRAModel"),  # TRA/tra_Alpha158 +2 more
    ("model", "qlib.contrib.model.pytorch_transformer", "TransformerModel"),  # Transformer/transformer_Alpha360
    ("model", "qlib.contrib.model.pytorch_transformer_ts", "TransformerModel"),  # Transformer/transformer_Alpha158
    ("model", "qlib.contrib.model.xgboost", "XGBModel"),  # XGBoost/xgboost_Alpha158 +1 more
    ("pt_model_uri", "qlib.contrib.model.pytorch_gru_ts", "GRUModel"),  # GeneralPtNN/gru
    ("pt_model_uri", "qlib.contrib.model.pytorch_nn", "Net"),  # GeneralPtNN/gru2mlp +1 more
    ("dataset", "qlib.contrib.data.dataset", "MTSDatasetH"),  # TRA/tra_Alpha158 +2 more
    ("dataset", "qlib.data.dataset", "DatasetH"),  # ADARNN/adarnn_Alpha360 +40 more
    ("dataset", "qlib.data.dataset", "TSDatasetH"),  # ALSTM/alstm_Alpha158 +7 more
    ("handler", "qlib.contrib.data.handler", "Alpha158"),  # ALSTM/alstm_Alpha158 +25 more
    ("handler", "qlib.contrib.data.handler", "Alpha360"),  # ADARNN/adarnn_Alpha360 +24 more
    ("handler", "qlib.data.dataset.handler", "DataHandlerLP"),  # LightGBM/lightgbm_configurable_dataset
    ("data_loader", None, "QlibDataLoader"),  # LightGBM/lightgbm_configurable_dataset
    ("infer_processors", None, "CSZFillna"),  # GeneralPtNN/mlp +2 more
    ("infer_processors", None, "DropCol"),  # GeneralPtNN/mlp +2 more
    ("infer_processors", None, "Fillna"),  # ADARNN/adarnn_Alpha360 +32 more
    ("infer_processors", None, "FilterCol"),  # ALSTM/alstm_Alpha158 +9 more
    ("infer_processors", None, "RobustZScoreNorm"),  # ADARNN/adarnn_Alpha360 +32 more
    ("learn_processors", None, "CSRankNorm"),  # ADARNN/adarnn_Alpha360 +39 more
    ("learn_processors", None, "CSZScoreNorm"),  # GeneralPtNN/mlp +3 more
    ("learn_processors", None, "DropCol"),  # GeneralPtNN/mlp +2 more
    ("learn_processors", None, "DropnaLabel"),  # ADARNN/adarnn_Alpha360 +37 more
    ("learn_processors", None, "DropnaProcessor"),  # GeneralPtNN/mlp +2 more
    ("record", "qlib.workflow.record_temp", "MultiPassPortAnaRecord"),  # Linear/linear_Alpha158_multi_pass_bt
    ("record", "qlib.workflow.record_temp", "PortAnaRecord"),  # ADARNN/adarnn_Alpha360 +50 more
    ("record", "qlib.workflow.record_temp", "SigAnaRecord"),  # ADARNN/adarnn_Alpha360 +51 more
    ("record", "qlib.workflow.record_temp", "SignalRecord"),  # ADARNN/adarnn_Alpha360 +51 more
    ("strategy", "qlib.contrib.strategy", "TopkDropoutStrategy"),  # ADARNN/adarnn_Alpha360 +51 more
]


@pytest.mark.parametrize(("slot", "module", "name"), BENCHMARK_PAIRS)
def test_every_benchmark_pair_is_accepted(base: dict[str, Any], slot: str, module: str | None, name: str) -> None:
    resolved = module or SLOTS.get(slot, LIST_SLOTS.get(slot, ANYWHERE)).default_module
    assert resolved is not None
    if slot == "pt_model_uri":  # a string kwarg of the model
        forms: list[Any] = [f"{resolved}.{name}"]
    else:
        given = {"class": name} if module is None else {"class": name, "module_path": module}
        forms = [given, {"class": f"{resolved}.{name}"}, f"{resolved}.{name}"]
    for value in forms:
        with placed(base, slot, value):
            validate_config(base)
    assert name in ANYWHERE.classes[resolved]  # and so at any position, given its module


def test_benchmark_pairs_are_unique() -> None:
    assert len(set(BENCHMARK_PAIRS)) == len(BENCHMARK_PAIRS) == 54


# ------------------------------------------------------------------------- whole benchmark configs

# Qlib's files as they are (commit d5379c5) but for the provider, market, benchmark and dates of the demo market, and
# trailing spaces dropped.

# examples/benchmarks/LightGBM/workflow_config_lightgbm_Alpha158.yaml
LGB_ALPHA158 = """
qlib_init:
    provider_uri: "~/.qlib/qlib_data/demo"
    region: cn
market: &market demo
benchmark: &benchmark DEMOIDX
data_handler_config: &data_handler_config
    start_time: 2020-01-01
    end_time: 2022-12-20
    fit_start_time: 2020-01-01
    fit_end_time: 2021-06-30
    instruments: *market
port_analysis_config: &port_analysis_config
    strategy:
        class: TopkDropoutStrategy
        module_path: qlib.contrib.strategy
        kwargs:
            signal: <PRED>
            topk: 50
            n_drop: 5
    backtest:
        start_time: 2022-01-01
        end_time: 2022-12-20
        account: 100000000
        benchmark: *benchmark
        exchange_kwargs:
            limit_threshold: 0.095
            deal_price: close
            open_cost: 0.0005
            close_cost: 0.0015
            min_cost: 5
task:
    model:
        class: LGBModel
        module_path: qlib.contrib.model.gbdt
        kwargs:
            loss: mse
            colsample_bytree: 0.8879
            learning_rate: 0.2
            subsample: 0.8789
            lambda_l1: 205.6999
            lambda_l2: 580.9768
            max_depth: 8
            num_leaves: 210
            num_threads: 20
    dataset:
        class: DatasetH
        module_path: qlib.data.dataset
        kwargs:
            handler:
                class: Alpha158
                module_path: qlib.contrib.data.handler
                kwargs: *data_handler_config
            segments:
                train: [2020-01-01, 2021-06-30]
                valid: [2021-07-01, 2021-12-31]
                test: [2022-01-01, 2022-12-20]
    record:
        - class: SignalRecord
          module_path: qlib.workflow.record_temp
          kwargs:
            model: <MODEL>
            dataset: <DATASET>
        - class: SigAnaRecord
          module_path: qlib.workflow.record_temp
          kwargs:
            ana_long_short: False
            ann_scaler: 252
        - class: PortAnaRecord
          module_path: qlib.workflow.record_temp
          kwargs:
            config: *port_analysis_config
"""

# examples/benchmarks/XGBoost/workflow_config_xgboost_Alpha158.yaml
XGB_ALPHA158 = """
qlib_init:
    provider_uri: "~/.qlib/qlib_data/demo"
    region: cn
market: &market demo
benchmark: &benchmark DEMOIDX
data_handler_config: &data_handler_config
    start_time: 2020-01-01
    end_time: 2022-12-20
    fit_start_time: 2020-01-01
    fit_end_time: 2021-06-30
    instruments: *market
port_analysis_config: &port_analysis_config
    strategy:
        class: TopkDropoutStrategy
        module_path: qlib.contrib.strategy
        kwargs:
            signal: <PRED>
            topk: 50
            n_drop: 5
    backtest:
        start_time: 2022-01-01
        end_time: 2022-12-20
        account: 100000000
        benchmark: *benchmark
        exchange_kwargs:
            limit_threshold: 0.095
            deal_price: close
            open_cost: 0.0005
            close_cost: 0.0015
            min_cost: 5
task:
    model:
        class: XGBModel
        module_path: qlib.contrib.model.xgboost
        kwargs:
            eval_metric: rmse
            colsample_bytree: 0.8879
            eta: 0.0421
            max_depth: 8
            n_estimators: 647
            subsample: 0.8789
            nthread: 20
    dataset:
        class: DatasetH
        module_path: qlib.data.dataset
        kwargs:
            handler:
                class: Alpha158
                module_path: qlib.contrib.data.handler
                kwargs: *data_handler_config
            segments:
                train: [2020-01-01, 2021-06-30]
                valid: [2021-07-01, 2021-12-31]
                test: [2022-01-01, 2022-12-20]
    record:
        - class: SignalRecord
          module_path: qlib.workflow.record_temp
          kwargs:
            model: <MODEL>
            dataset: <DATASET>
        - class: SigAnaRecord
          module_path: qlib.workflow.record_temp
          kwargs:
            ana_long_short: False
            ann_scaler: 252
        - class: PortAnaRecord
          module_path: qlib.workflow.record_temp
          kwargs:
            config: *port_analysis_config
"""

# examples/benchmarks/MLP/workflow_config_mlp_Alpha158.yaml
MLP_ALPHA158 = """
qlib_init:
    provider_uri: "~/.qlib/qlib_data/demo"
    region: cn
market: &market demo
benchmark: &benchmark DEMOIDX
data_handler_config: &data_handler_config
    start_time: 2020-01-01
    end_time: 2022-12-20
    fit_start_time: 2020-01-01
    fit_end_time: 2021-06-30
    instruments: *market
    infer_processors: [
        {
            "class" : "DropCol",
            "kwargs":{"col_list": ["VWAP0"]}
        },
        {
             "class" : "CSZFillna",
             "kwargs":{"fields_group": "feature"}
        }
    ]
    learn_processors: [
        {
            "class" : "DropCol",
            "kwargs":{"col_list": ["VWAP0"]}
        },
        {
            "class" : "DropnaProcessor",
            "kwargs":{"fields_group": "feature"}
        },
        "DropnaLabel",
        {
            "class": "CSZScoreNorm",
            "kwargs": {"fields_group": "label"}
        }
    ]
    process_type: "independent"

port_analysis_config: &port_analysis_config
    strategy:
        class: TopkDropoutStrategy
        module_path: qlib.contrib.strategy
        kwargs:
            signal: <PRED>
            topk: 50
            n_drop: 5
    backtest:
        start_time: 2022-01-01
        end_time: 2022-12-20
        account: 100000000
        benchmark: *benchmark
        exchange_kwargs:
            limit_threshold: 0.095
            deal_price: close
            open_cost: 0.0005
            close_cost: 0.0015
            min_cost: 5
task:
    model:
        class: DNNModelPytorch
        module_path: qlib.contrib.model.pytorch_nn
        kwargs:
            loss: mse
            lr: 0.002
            optimizer: adam
            max_steps: 8000
            batch_size: 8192
            GPU: 0
            weight_decay: 0.0002
            pt_model_kwargs:
              input_dim: 157
    dataset:
        class: DatasetH
        module_path: qlib.data.dataset
        kwargs:
            handler:
                class: Alpha158
                module_path: qlib.contrib.data.handler
                kwargs: *data_handler_config
            segments:
                train: [2020-01-01, 2021-06-30]
                valid: [2021-07-01, 2021-12-31]
                test: [2022-01-01, 2022-12-20]
    record:
        - class: SignalRecord
          module_path: qlib.workflow.record_temp
          kwargs:
            model: <MODEL>
            dataset: <DATASET>
        - class: SigAnaRecord
          module_path: qlib.workflow.record_temp
          kwargs:
            ana_long_short: False
            ann_scaler: 252
        - class: PortAnaRecord
          module_path: qlib.workflow.record_temp
          kwargs:
            config: *port_analysis_config
"""

# examples/benchmarks/GRU/workflow_config_gru_Alpha158.yaml
GRU_ALPHA158 = """
qlib_init:
    provider_uri: "~/.qlib/qlib_data/demo"
    region: cn
market: &market demo
benchmark: &benchmark DEMOIDX
data_handler_config: &data_handler_config
    start_time: 2020-01-01
    end_time: 2022-12-20
    fit_start_time: 2020-01-01
    fit_end_time: 2021-06-30
    instruments: *market
    infer_processors:
        - class: FilterCol
          kwargs:
              fields_group: feature
              col_list: ["RESI5", "WVMA5", "RSQR5", "KLEN", "RSQR10", "CORR5", "CORD5", "CORR10",
                            "ROC60", "RESI10", "VSTD5", "RSQR60", "CORR60", "WVMA60", "STD5",
                            "RSQR20", "CORD60", "CORD10", "CORR20", "KLOW"
                        ]
        - class: RobustZScoreNorm
          kwargs:
              fields_group: feature
              clip_outlier: true
        - class: Fillna
          kwargs:
              fields_group: feature
    learn_processors:
        - class: DropnaLabel
        - class: CSRankNorm
          kwargs:
              fields_group: label
    label: ["Ref($close, -2) / Ref($close, -1) - 1"]

port_analysis_config: &port_analysis_config
    strategy:
        class: TopkDropoutStrategy
        module_path: qlib.contrib.strategy
        kwargs:
            signal: <PRED>
            topk: 50
            n_drop: 5
    backtest:
        start_time: 2022-01-01
        end_time: 2022-12-20
        account: 100000000
        benchmark: *benchmark
        exchange_kwargs:
            limit_threshold: 0.095
            deal_price: close
            open_cost: 0.0005
            close_cost: 0.0015
            min_cost: 5
task:
    model:
        class: GRU
        module_path: qlib.contrib.model.pytorch_gru_ts
        kwargs:
            d_feat: 20
            hidden_size: 64
            num_layers: 2
            dropout: 0.0
            n_epochs: 200
            lr: 2e-4
            early_stop: 10
            batch_size: 800
            metric: loss
            loss: mse
            n_jobs: 20
            GPU: 0
    dataset:
        class: TSDatasetH
        module_path: qlib.data.dataset
        kwargs:
            handler:
                class: Alpha158
                module_path: qlib.contrib.data.handler
                kwargs: *data_handler_config
            segments:
                train: [2020-01-01, 2021-06-30]
                valid: [2021-07-01, 2021-12-31]
                test: [2022-01-01, 2022-12-20]
            step_len: 20
    record:
        - class: SignalRecord
          module_path: qlib.workflow.record_temp
          kwargs:
            model: <MODEL>
            dataset: <DATASET>
        - class: SigAnaRecord
          module_path: qlib.workflow.record_temp
          kwargs:
            ana_long_short: False
            ann_scaler: 252
        - class: PortAnaRecord
          module_path: qlib.workflow.record_temp
          kwargs:
            config: *port_analysis_config
"""

# examples/benchmarks/LightGBM/workflow_config_lightgbm_Alpha360.yaml
LGB_ALPHA360 = """
qlib_init:
    provider_uri: "~/.qlib/qlib_data/demo"
    region: cn
market: &market demo
benchmark: &benchmark DEMOIDX
data_handler_config: &data_handler_config
    start_time: 2020-01-01
    end_time: 2022-12-20
    fit_start_time: 2020-01-01
    fit_end_time: 2021-06-30
    instruments: *market
    infer_processors: []
    learn_processors:
        - class: DropnaLabel
        - class: CSRankNorm
          kwargs:
              fields_group: label
    label: ["Ref($close, -2) / Ref($close, -1) - 1"]
port_analysis_config: &port_analysis_config
    strategy:
        class: TopkDropoutStrategy
        module_path: qlib.contrib.strategy
        kwargs:
            signal: <PRED>
            topk: 50
            n_drop: 5
    backtest:
        start_time: 2022-01-01
        end_time: 2022-12-20
        account: 100000000
        benchmark: *benchmark
        exchange_kwargs:
            limit_threshold: 0.095
            deal_price: close
            open_cost: 0.0005
            close_cost: 0.0015
            min_cost: 5
task:
    model:
        class: LGBModel
        module_path: qlib.contrib.model.gbdt
        kwargs:
            loss: mse
            colsample_bytree: 0.8879
            learning_rate: 0.0421
            subsample: 0.8789
            lambda_l1: 205.6999
            lambda_l2: 580.9768
            max_depth: 8
            num_leaves: 210
            num_threads: 20
    dataset:
        class: DatasetH
        module_path: qlib.data.dataset
        kwargs:
            handler:
                class: Alpha360
                module_path: qlib.contrib.data.handler
                kwargs: *data_handler_config
            segments:
                train: [2020-01-01, 2021-06-30]
                valid: [2021-07-01, 2021-12-31]
                test: [2022-01-01, 2022-12-20]
    record:
        - class: SignalRecord
          module_path: qlib.workflow.record_temp
          kwargs:
            model: <MODEL>
            dataset: <DATASET>
        - class: SigAnaRecord
          module_path: qlib.workflow.record_temp
          kwargs:
            ana_long_short: False
            ann_scaler: 252
        - class: PortAnaRecord
          module_path: qlib.workflow.record_temp
          kwargs:
            config: *port_analysis_config
"""

# examples/benchmarks/LightGBM/workflow_config_lightgbm_configurable_dataset.yaml
LGB_CONFIGURABLE = """
qlib_init:
    provider_uri: "~/.qlib/qlib_data/demo"
    region: cn
market: &market demo
benchmark: &benchmark DEMOIDX
data_handler_config: &data_handler_config
    start_time: 2020-01-01
    end_time: 2022-12-20
    instruments: *market
    data_loader:
        class: QlibDataLoader
        kwargs:
            config:
                feature:
                    - ["Resi($close, 15)/$close", "Std(Abs($close/Ref($close, 1)-1)*$volume, 5)/(Mean(Abs($close/Ref($close, 1)-1)*$volume, 5)+1e-12)", "Rsquare($close, 5)", "($high-$low)/$open", "Rsquare($close, 10)", "Corr($close, Log($volume+1), 5)", "Corr($close/Ref($close,1), Log($volume/Ref($volume, 1)+1), 5)", "Corr($close, Log($volume+1), 10)", "Rsquare($close, 20)", "Corr($close/Ref($close,1), Log($volume/Ref($volume, 1)+1), 60)", "Corr($close/Ref($close,1), Log($volume/Ref($volume, 1)+1), 10)", "Corr($close, Log($volume+1), 20)", "(Less($open, $close)-$low)/$open"]
                    - ["RESI5", "WVMA5", "RSQR5", "KLEN", "RSQR10", "CORR5", "CORD5", "CORR10", "RSQR20", "CORD60", "CORD10", "CORR20", "KLOW"]
                label:
                    - ["Ref($close, -2)/Ref($close, -1) - 1"]
                    - ["LABEL0"]
            freq: day

    learn_processors:
        - class: DropnaLabel
        - class: CSZScoreNorm
          kwargs:
            fields_group: label
port_analysis_config: &port_analysis_config
    strategy:
        class: TopkDropoutStrategy
        module_path: qlib.contrib.strategy
        kwargs:
            signal: <PRED>
            topk: 50
            n_drop: 5
    backtest:
        start_time: 2022-01-01
        end_time: 2022-12-20
        account: 100000000
        benchmark: *benchmark
        exchange_kwargs:
            limit_threshold: 0.095
            deal_price: close
            open_cost: 0.0005
            close_cost: 0.0015
            min_cost: 5
task:
    model:
        class: LGBModel
        module_path: qlib.contrib.model.gbdt
        kwargs:
            loss: mse
            colsample_bytree: 0.8879
            learning_rate: 0.2
            subsample: 0.8789
            lambda_l1: 205.6999
            lambda_l2: 580.9768
            max_depth: 8
            num_leaves: 210
            num_threads: 20
    dataset:
        class: DatasetH
        module_path: qlib.data.dataset
        kwargs:
            handler:
                class: DataHandlerLP
                module_path: qlib.data.dataset.handler
                kwargs: *data_handler_config
            segments:
                train: [2020-01-01, 2021-06-30]
                valid: [2021-07-01, 2021-12-31]
                test: [2022-01-01, 2022-12-20]
    record:
        - class: SignalRecord
          module_path: qlib.workflow.record_temp
          kwargs:
            model: <MODEL>
            dataset: <DATASET>
        - class: SigAnaRecord
          module_path: qlib.workflow.record_temp
          kwargs:
            ana_long_short: False
            ann_scaler: 252
        - class: PortAnaRecord
          module_path: qlib.workflow.record_temp
          kwargs:
            config: *port_analysis_config
"""  # noqa: E501 (Qlib's long expression lists, kept as they are)

BENCHMARK_CONFIGS = {
    "LightGBM/lightgbm_Alpha158": LGB_ALPHA158,
    "XGBoost/xgboost_Alpha158": XGB_ALPHA158,
    "MLP/mlp_Alpha158": MLP_ALPHA158,
    "GRU/gru_Alpha158": GRU_ALPHA158,
    "LightGBM/lightgbm_Alpha360": LGB_ALPHA360,
    "LightGBM/lightgbm_configurable_dataset": LGB_CONFIGURABLE,
}


@pytest.mark.parametrize("name", list(BENCHMARK_CONFIGS))
def test_whole_benchmark_configs_are_accepted(name: str) -> None:
    config = load_config(BENCHMARK_CONFIGS[name])
    validate_config(config)
    assert config["market"] == "demo"
    assert config["task"]["dataset"]["kwargs"]["handler"]["kwargs"] is config["data_handler_config"]


def test_a_benchmark_config_with_its_pretrained_pickle_is_refused() -> None:
    config = load_config(GRU_ALPHA158)
    config["task"]["model"] = {
        "class": "GATs",
        "module_path": "qlib.contrib.model.pytorch_gats_ts",
        "kwargs": {"d_feat": 20, "base_model": "LSTM", "model_path": "benchmarks/LSTM/csi300_lstm_ts.pkl"},
    }
    assert refusal(config).startswith(
        "task.model.kwargs.model_path 'benchmarks/LSTM/csi300_lstm_ts.pkl' is not allowed"
    )
    config["task"]["model"]["kwargs"]["model_path"] = None
    validate_config(config)


# ------------------------------------------------------------------------------------ the list is real


def defined_classes(module: str) -> dict[str, str]:
    """The top-level classes in ``module``'s source and the names it imports relatively, each with its module."""
    spec = importlib.util.find_spec(module)
    assert spec is not None and spec.origin is not None, f"{module} is not installed"
    package = module if spec.submodule_search_locations is not None else module.rpartition(".")[0]
    found: dict[str, str] = {}
    for node in ast.parse(Path(spec.origin).read_text()).body:
        if isinstance(node, ast.ClassDef):
            found[node.name] = module
        elif isinstance(node, ast.ImportFrom) and node.level and node.module:
            base = package.rsplit(".", node.level - 1)[0]
            found.update({alias.asname or alias.name: f"{base}.{node.module}" for alias in node.names})
    return found


@pytest.mark.parametrize("module", sorted(ANYWHERE.classes))
def test_allowlisted_modules_and_classes_exist(module: str) -> None:
    assert module.startswith("qlib.") or module in PLATFORM_CLASSES
    found = defined_classes(module)
    for name in ANYWHERE.classes[module]:
        assert name in found, f"{module} has no class {name}"
        origin = found[name]
        if origin != module:  # re-exported by a package: allowlisted where it is defined too, and a class there
            assert name in ANYWHERE.classes.get(origin, frozenset()), f"{module}.{name} comes from {origin}"
            assert defined_classes(origin).get(name) == origin


def test_default_modules_are_allowlisted_in_their_slot() -> None:
    slots = [*SLOTS.values(), *LIST_SLOTS.values()]
    defaults = {slot.default_module: slot for slot in slots if slot.default_module is not None}
    assert set(defaults) == {
        "qlib.data.dataset.loader",
        "qlib.data.dataset.processor",
        "qlib.workflow.record_temp",
        "qlib.backtest.position",
    }
    for module, slot in defaults.items():
        assert module in slot.classes
