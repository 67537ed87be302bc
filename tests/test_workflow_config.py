"""Loading, overriding, vetting and flattening qrun-format workflow configs (qlp_core.workflow_config)."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import pytest

from qlp_core.workflow_config import (
    MAX_CONFIG_BYTES,
    ConfigError,
    apply_overrides,
    config_hash,
    flatten_params,
    load_config,
    prepare_config,
    validate_config,
)

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "trainers" / "configs" / "demo_lgb_alpha158.yaml"
BENCHMARK = ROOT / "tests" / "data" / "benchmark_lgb_alpha158.yaml"

MINIMAL = """
task:
  model:
    class: LGBModel
    module_path: qlib.contrib.model.gbdt
  dataset:
    class: DatasetH
    module_path: qlib.data.dataset
    kwargs:
      handler: {class: Alpha158, module_path: qlib.contrib.data.handler, kwargs: {instruments: demo}}
"""


def minimal() -> dict[str, Any]:
    return load_config(MINIMAL)


def refused(config: dict[str, Any]) -> str:
    with pytest.raises(ConfigError) as info:
        validate_config(config)
    return str(info.value)


# ------------------------------------------------------------------------------------------- real configs


@pytest.mark.parametrize("path", [DEMO, BENCHMARK], ids=["demo", "benchmark"])
def test_demo_and_benchmark_configs_are_accepted(path: Path) -> None:
    config = load_config(path.read_text())
    validate_config(config)
    task = config["task"]
    # anchors/aliases: the handler kwargs ARE the data_handler_config mapping, the record's config the port one
    assert task["dataset"]["kwargs"]["handler"]["kwargs"] is config["data_handler_config"]
    assert task["record"][2]["kwargs"]["config"] is config["port_analysis_config"]
    assert config["data_handler_config"]["instruments"] == "demo"
    assert config["port_analysis_config"]["backtest"]["benchmark"] == "DEMOIDX"
    assert config["port_analysis_config"]["strategy"]["kwargs"]["signal"] == ["<MODEL>", "<DATASET>"]
    assert task["record"][0]["kwargs"] == {"model": "<MODEL>", "dataset": "<DATASET>"}
    assert isinstance(config["data_handler_config"]["start_time"], dt.date)


def test_benchmark_keeps_the_original_settings() -> None:
    config = load_config(BENCHMARK.read_text())
    kwargs = config["task"]["model"]["kwargs"]
    assert kwargs == {
        "loss": "mse",
        "colsample_bytree": 0.8879,
        "learning_rate": 0.2,
        "subsample": 0.8789,
        "lambda_l1": 205.6999,
        "lambda_l2": 580.9768,
        "max_depth": 8,
        "num_leaves": 210,
        "num_threads": 20,
    }
    strategy = config["port_analysis_config"]["strategy"]["kwargs"]
    assert (strategy["topk"], strategy["n_drop"]) == (50, 5)
    assert config["task"]["record"][1]["kwargs"] == {"ana_long_short": False, "ann_scaler": 252}


def test_demo_strategy_and_threads() -> None:
    config = load_config(DEMO.read_text())
    strategy = config["port_analysis_config"]["strategy"]["kwargs"]
    assert (strategy["topk"], strategy["n_drop"]) == (10, 2)
    assert config["task"]["model"]["kwargs"]["num_threads"] == 2


# ------------------------------------------------------------------------------------------------ loading


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("task: [1, 2]", "task must be a mapping"),
        ("market: demo", "task is missing"),
        ("task: {dataset: {class: DatasetH}}", "task.model is missing"),
        ("task: {model: {class: LGBModel}}", "task.dataset is missing"),
        ("- a\n- b", "must be a mapping"),
        ("", "empty"),
        ("task: {model: [unclosed", "invalid YAML"),
    ],
)
def test_load_refuses_bad_shapes(text: str, expected: str) -> None:
    with pytest.raises(ConfigError, match=expected):
        load_config(text)


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system ['id']",
        "!!python/object:subprocess.Popen {args: [id]}",
        "!!python/name:os.system",
        "!!python/module:os",
    ],
)
def test_load_refuses_python_tags(tag: str) -> None:
    text = MINIMAL + f"evil: {tag}\n"
    with pytest.raises(ConfigError) as info:
        load_config(text)
    message = str(info.value)
    assert "is not allowed" in message
    assert tag.split()[0].lstrip("!") in message  # names the tag, e.g. python/object/apply:os.system


def test_load_refuses_huge_text() -> None:
    text = MINIMAL + "# " + "x" * MAX_CONFIG_BYTES + "\n"
    with pytest.raises(ConfigError, match="bytes"):
        load_config(text)


def test_load_refuses_alias_bombs() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 8):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
    text = MINIMAL + "\n".join(lines) + "\n"
    assert len(text) < 2000
    with pytest.raises(ConfigError, match="expands to more than"):
        load_config(text)


# ------------------------------------------------------------------------------------------------ vetting


@pytest.mark.parametrize(
    "module",
    [
        "os", "subprocess", "builtins", "sys", "importlib", "pickle", "posix", "qlibx", "qlib", "qlib.utils",
        "qlib.contrib.model", "qlib.contrib.model.pytorch_utils", "qlib.data.dataset", "trainers", "trainers.datasets",
    ],
)  # fmt: skip
def test_module_path_outside_the_allowlist_is_refused(module: str) -> None:
    config = minimal()
    config["task"]["model"] = {"class": "system", "module_path": module, "kwargs": {"command": "id"}}
    message = refused(config)
    assert message.startswith(
        f"task.model.module_path '{module}' is not allowed: a model may only come from qlib.contrib.model.{{"
        "catboost_model, double_ensemble, gbdt, "
    )
    assert message.endswith("pytorch_transformer, pytorch_transformer_ts, xgboost}")


@pytest.mark.parametrize("name", ["os.system", "subprocess.Popen", "builtins.eval", "builtins.exec", "pickle.loads"])
def test_dotted_class_outside_the_allowlist_is_refused(name: str) -> None:
    config = minimal()
    # Qlib uses the dotted module and ignores module_path then, so an allowed module_path must not help
    config["task"]["model"] = {"class": name, "module_path": "qlib.contrib.model.gbdt"}
    message = refused(config)
    assert message.startswith(
        f"task.model.class '{name}' is not allowed: a model may only come from qlib.contrib.model."
    )


@pytest.mark.parametrize("key", ["class", "func"])
def test_nested_specs_anywhere_are_checked(key: str) -> None:
    config = minimal()
    handler_kwargs = config["task"]["dataset"]["kwargs"]["handler"]["kwargs"]
    handler_kwargs["infer_processors"] = [{key: "Popen", "module_path": "subprocess"}]
    assert "infer_processors.0.module_path 'subprocess' is not allowed" in refused(config)


@pytest.mark.parametrize(
    "module_path", ["/tmp/evil.py", "evil.py", "./evil", "../qlib/evil", "qlib/contrib/model", "qlib..x", ""]
)
def test_file_paths_as_module_path_are_refused(module_path: str) -> None:
    config = minimal()
    config["task"]["model"]["module_path"] = module_path
    assert "must be a dotted Python module name" in refused(config)


def test_a_py_file_in_a_dotted_class_is_refused() -> None:
    config = minimal()
    config["task"]["model"] = {"class": "/tmp/evil.py.Model"}
    assert "is not allowed" in refused(config)
    config["task"]["model"] = "/tmp/evil.py.Model"
    assert "Python files are not allowed" in refused(config)


@pytest.mark.parametrize(
    "value",
    ["file:///x.pkl", "FILE:///tmp/model", "file://data/model.bin", "  file:/x", "fi\nle:///x.pkl", "/tmp/model.pkl"],
)
@pytest.mark.parametrize("where", ["model", "dataset", "handler", "record", "deep"])
def test_pickle_strings_are_refused(value: str, where: str) -> None:
    config = minimal()
    task = config["task"]
    if where == "handler":
        task["dataset"]["kwargs"]["handler"] = value
    elif where == "record":
        task["record"] = [value]
    elif where == "deep":
        task["dataset"]["kwargs"]["handler"]["kwargs"]["whatever"] = {"nested": [value]}
    else:
        task[where] = value
    message = refused(config)
    assert "file: URIs are not allowed" in message or "pickle files are not allowed" in message


@pytest.mark.parametrize(
    ("key", "value", "accepted"),
    [
        ("model", "os.system", "a model may only come from qlib.contrib.model."),
        ("dataset", "subprocess.Popen", "a dataset may only come from qlib.contrib.data.dataset, qlib.data.dataset"),
        (
            "strategy",
            "builtins.breakpoint",
            "a strategy may only come from qlib.contrib.strategy, qlib.contrib.strategy.",
        ),
        ("executor", "antigravity.fly", "an executor may only come from qlib.backtest.executor"),
        ("exchange", "webbrowser.open", "an exchange may only come from qlib.backtest.exchange"),
        ("strategy", "trainers.worker.main", "a strategy may only come from"),
    ],
)
def test_spec_strings_outside_the_allowlist_are_refused(key: str, value: str, accepted: str) -> None:
    config = minimal()
    config["task"]["record"] = [{"class": "PortAnaRecord", "kwargs": {"config": {key: value}}}]
    where = f"task.record.0.kwargs.config.{key}"
    if key in ("model", "dataset"):
        config["task"][key] = value
        where = f"task.{key}"
    assert refused(config).startswith(f"{where} {value!r} is not allowed: {accepted}")


def test_spec_strings_must_be_class_names_or_placeholders() -> None:
    config = minimal()
    config["task"]["record"] = ["SignalRecord", "qlib.workflow.record_temp.SigAnaRecord"]
    validate_config(config)
    config["task"]["record"] = ["some/path"]
    assert "expected a class name or a placeholder" in refused(config)


@pytest.mark.parametrize(
    "name",
    [
        "qlib.utils.get_module_by_module_path",
        "qlib.utils.mod.init_instance_by_config",
        "qlib.cli.run.workflow",
        "qlib.init",
        "qlib.contrib.tuner.tuner.QLibTuner",
        "qlib.data.dataset.loader.StaticDataLoader",
        "trainers.worker.run_job",
        "trainers.runner.main",
        "qlib.data.dataset.loader.load_dataset",  # imported by an allowlisted module: getattr would reach it
        "qlib.data.dataset.init_instance_by_config",
        "qlib.contrib.online.manager.UserManager",
        "qlib.contrib.rolling.base.Rolling",
        "qlib.workflow.task.manage.TaskManager",
        "qlib.workflow.expm.MLflowExpManager",
        "qlib.rl.contrib.train_onpolicy.train",
    ],
)
def test_dangerous_corners_of_qlib_are_refused(name: str) -> None:
    config = minimal()
    config["task"]["dataset"]["kwargs"]["handler"]["kwargs"]["data_loader"] = {"class": name}
    message = refused(config)
    assert message.startswith(f"task.dataset.kwargs.handler.kwargs.data_loader.class {name!r} is not allowed: ")
    assert "a data loader " in message


@pytest.mark.parametrize(
    "expression",
    [
        "(get_module_by_module_path)('/tmp/x')",
        "$close.__class__",
        "Ref($close, 1) + (os.system)('id')",
        "Mean($close, 5)[0]",
        "(lambda: 1)()",
        "Ref($close, 1); import os",
    ],
)
def test_expressions_qlib_would_eval_are_vetted(expression: str) -> None:
    config = minimal()
    config["task"]["dataset"]["kwargs"]["handler"]["kwargs"]["label"] = [[expression], ["LABEL0"]]
    assert "not allowed" in refused(config)


def test_plain_qlib_expressions_pass() -> None:
    config = minimal()
    kwargs = config["task"]["dataset"]["kwargs"]["handler"]["kwargs"]
    kwargs["label"] = [["Ref($close, -2)/Ref($close, -1) - 1", "If(Gt($volume, 1e6), Rank($vwap, 10), 0.5)"]]
    validate_config(config)


@pytest.mark.parametrize(
    ("top", "expected"),
    [
        ({"BASE_CONFIG_PATH": "workflow_config_base.yaml"}, "BASE_CONFIG_PATH is not allowed"),
        ({"sys": {"path": ["/tmp"]}}, "sys is not allowed"),
        ({"qlib_init": {"provider_uri": "x", "mount_path": "/mnt"}}, "qlib_init.mount_path is not allowed"),
        ({"qlib_init": {"custom_ops": [{"class": "Op", "module_path": "evil"}]}}, "qlib_init.custom_ops"),
        ({"qlib_init": {"region": "mars"}}, "qlib_init.region must be one of"),
        ({"qlib_init": {"kernels": 0}}, "qlib_init.kernels"),
        ({"qlib_init": "x"}, "qlib_init must be a mapping"),
        ({"task": "task.yaml"}, "task must be a mapping"),
    ],
)
def test_top_level_refusals(top: dict[str, Any], expected: str) -> None:
    config = minimal()
    config.update(top)
    assert expected in refused(config)


def test_qlib_init_allowlist_accepts_its_keys() -> None:
    config = minimal()
    config["qlib_init"] = {
        "provider_uri": "~/.qlib/qlib_data/cn_data",
        "region": "us",
        "kernels": 2,
        "logging_level": "INFO",
        "joblib_backend": "multiprocessing",
        "maxtasksperchild": None,
        # replaced by prepare_config, so whatever it says is not vetted
        "exp_manager": {"class": "MLflowExpManager", "module_path": "qlib.workflow.expm", "kwargs": {}},
    }
    validate_config(config)


@pytest.mark.parametrize("placeholder", ["<task.model>", "<dataset.kwargs.handler>x", "<os>"])
def test_only_known_placeholders(placeholder: str) -> None:
    config = minimal()
    config["task"]["record"] = [{"class": "SignalRecord", "kwargs": {"model": placeholder}}]
    assert "the only placeholders are" in refused(config)


def test_market_names_cannot_walk_out_of_the_dataset() -> None:
    config = minimal()
    config["task"]["dataset"]["kwargs"]["handler"]["kwargs"]["instruments"] = "../../etc/passwd"
    assert "not a market name" in refused(config)


def test_dunder_keys_are_refused() -> None:
    config = minimal()
    config["task"]["model"]["kwargs"] = {"__class__": 1}
    assert "'__'" in refused(config)


# ---------------------------------------------------------------------------------------------- overrides


def test_overrides_set_dotted_paths_on_a_copy() -> None:
    config = load_config(DEMO.read_text())
    before = copy.deepcopy(config)
    out = apply_overrides(
        config,
        {
            "task.model.kwargs.learning_rate": 0.3,
            "task.record.1.kwargs.ann_scaler": 238,
            "task.dataset.kwargs.segments.test.1": "2022-11-30",
            "task.model.kwargs.new_key": "x",
            "extra.a.b": [1, 2],
        },
    )
    assert config == before  # the input is untouched
    assert out["task"]["model"]["kwargs"]["learning_rate"] == 0.3
    assert out["task"]["record"][1]["kwargs"]["ann_scaler"] == 238
    assert out["task"]["dataset"]["kwargs"]["segments"]["test"][1] == "2022-11-30"
    assert out["task"]["model"]["kwargs"]["new_key"] == "x"
    assert out["extra"] == {"a": {"b": [1, 2]}}


def test_overrides_keep_yaml_aliases_shared() -> None:
    config = load_config(DEMO.read_text())
    out = apply_overrides(config, {"data_handler_config.end_time": "2022-11-30"})
    assert out["task"]["dataset"]["kwargs"]["handler"]["kwargs"]["end_time"] == "2022-11-30"
    assert config["data_handler_config"]["end_time"] == dt.date(2022, 12, 20)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("task.record.9.kwargs.x", "has 3 items"),
        ("task.record.first.kwargs", "must be an index"),
        ("task.model.class.x", "is a string"),
        ("", "is not a dotted path"),
        ("task..model", "is not a dotted path"),
    ],
)
def test_bad_override_paths(path: str, expected: str) -> None:
    config = load_config(DEMO.read_text())
    with pytest.raises(ConfigError, match=expected):
        apply_overrides(config, {path: 1})


def test_overrides_are_vetted_like_the_rest() -> None:
    config = apply_overrides(minimal(), {"task.model.module_path": "os"})
    assert "'os' is not allowed" in refused(config)


# ------------------------------------------------------------------------------------- prepare, hash, params


def test_prepare_config_points_qlib_at_the_dataset_and_tracking() -> None:
    config = minimal()
    config["qlib_init"] = {"provider_uri": "~/x", "region": "us", "exp_manager": {"class": "Evil"}, "kernels": 4}
    out = prepare_config(
        config, provider_uri="/data/ds/3", tracking_uri="http://mlflow:5000", experiment_name="exp", kernels=2
    )
    assert out["qlib_init"] == {
        "provider_uri": "/data/ds/3",
        "region": "us",
        "kernels": 2,
        "exp_manager": {
            "class": "MLflowExpManager",
            "module_path": "qlib.workflow.expm",
            "kwargs": {"uri": "http://mlflow:5000", "default_exp_name": "exp"},
        },
    }
    assert config["qlib_init"]["provider_uri"] == "~/x"
    plain = prepare_config(minimal(), provider_uri="/d", tracking_uri="sqlite:///m.db", experiment_name="e")
    assert plain["qlib_init"]["region"] == "cn"
    assert "kernels" not in plain["qlib_init"]


def test_config_hash_is_sha256_of_the_text() -> None:
    text = DEMO.read_text()
    assert config_hash(text) == hashlib.sha256(text.encode()).hexdigest()


def test_flatten_params_of_the_demo() -> None:
    params = flatten_params(load_config(DEMO.read_text()))
    assert params["task.model.kwargs.learning_rate"] == "0.1"
    assert params["task.model.class"] == "LGBModel"
    assert params["task.record.0.kwargs.model"] == "<MODEL>"
    assert params["task.record.2.kwargs.config.strategy.kwargs.signal"] == '["<MODEL>", "<DATASET>"]'
    assert params["task.dataset.kwargs.segments.train"] == '["2020-01-01", "2021-06-30"]'
    assert params["data_handler_config.start_time"] == "2020-01-01"
    assert params["task.record.1.kwargs.ana_long_short"] == "false"
    assert all(isinstance(v, str) for v in params.values())


def test_flatten_params_respects_mlflow_limits() -> None:
    long_key = "k" * 300
    params = flatten_params({"a": {long_key: 1, "x@y": None}, "big": "v" * 7000, "empty": {}, "list": []})
    keys = list(params)
    assert all(len(k) <= 250 for k in keys)
    assert any(k.startswith("a.kkk") for k in keys)
    assert params["a.x_y"] == "null"
    assert len(params["big"]) == 6000
    assert params["empty"] == "{}"
    assert params["list"] == "[]"
