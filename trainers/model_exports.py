"""A trained Qlib model kept in formats that load without unpickling — LightGBM's text model, XGBoost's UBJSON,
CatBoost's own format, a linear model's coefficients as JSON, a torch model's tensors (each module's state_dict, read
back with ``weights_only=True``) — and put back into a model object built from its vetted config. Qlib's own
``params.pkl`` stays in the run beside them; nothing of the platform reads it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

#: the export's description beside its files
MANIFEST = "export.json"


class NoSafeFormat(Exception):
    """The model keeps its state in nothing this module can write or read without a pickle."""


def _booster(model: Any, module: str, cls: str) -> Any | None:
    inner = getattr(model, "model", None)
    t = type(inner)
    return inner if inner is not None and t.__module__.split(".")[0] == module and t.__name__ == cls else None


def _torch_modules(model: Any) -> dict[str, Any]:
    try:
        import torch
    except ImportError:
        return {}
    return {k: v for k, v in vars(model).items() if isinstance(v, torch.nn.Module)}


def export(model: Any, folder: Path) -> list[str]:
    """Write ``model``'s state into ``folder`` (created); the file names written, ``export.json`` last. Raises
    :class:`NoSafeFormat` for a model of none of the known kinds."""
    folder.mkdir(parents=True, exist_ok=True)
    files: list[str]
    if (booster := _booster(model, "lightgbm", "Booster")) is not None:
        booster.save_model(str(folder / "lightgbm.txt"))
        kind, files = "lightgbm_text", ["lightgbm.txt"]
    elif (booster := _booster(model, "xgboost", "Booster")) is not None:
        booster.save_model(str(folder / "xgboost.ubj"))
        kind, files = "xgboost_ubj", ["xgboost.ubj"]
    elif type(getattr(model, "model", None)).__module__.split(".")[0] == "catboost":
        model.model.save_model(str(folder / "catboost.cbm"), format="cbm")
        kind, files = "catboost", ["catboost.cbm"]
    elif isinstance(getattr(model, "coef_", None), np.ndarray):
        (folder / "linear.json").write_text(json.dumps({"coef": model.coef_.astype(float).tolist(),
                                                        "intercept": float(model.intercept_)}))
        kind, files = "linear_json", ["linear.json"]
    elif modules := _torch_modules(model):
        import torch

        files = []
        for name, module in sorted(modules.items()):
            target = module.module if hasattr(module, "module") and isinstance(module.module, torch.nn.Module) \
                else module  # DataParallel keeps the model inside
            state = {k: v.detach().cpu() for k, v in target.state_dict().items()}
            torch.save(state, folder / f"{name}.pt")
            files.append(f"{name}.pt")
        kind = "torch_state_dict"
    else:
        raise NoSafeFormat(f"{type(model).__module__}.{type(model).__name__} keeps no state in a format that loads "
                           "without a pickle")
    cls = type(model)
    (folder / MANIFEST).write_text(json.dumps({"format": kind, "files": files,
                                               "model_class": f"{cls.__module__}.{cls.__name__}"}))
    return [*files, MANIFEST]


def describe(folder: Path) -> dict[str, Any]:
    """The export's manifest (format, files, model class)."""
    return dict(json.loads((folder / MANIFEST).read_text()))


def load_into(model: Any, folder: Path) -> Any:
    """Put the exported state in ``folder`` into ``model`` (an unfitted object of the class the export names, built
    from the run's vetted config); returns it. No pickle is read: torch tensors load with ``weights_only=True``."""
    info = describe(folder)
    cls = type(model)
    if info["model_class"] != f"{cls.__module__}.{cls.__name__}":
        raise NoSafeFormat(f"the export is of {info['model_class']}, not {cls.__module__}.{cls.__name__}")
    kind, files = info["format"], info["files"]
    if kind == "lightgbm_text":
        import lightgbm

        model.model = lightgbm.Booster(model_file=str(folder / files[0]))
    elif kind == "xgboost_ubj":
        import xgboost

        booster = xgboost.Booster()
        booster.load_model(str(folder / files[0]))
        model.model = booster
    elif kind == "catboost":
        from catboost import CatBoost

        model.model = CatBoost().load_model(str(folder / files[0]), format="cbm")
    elif kind == "linear_json":
        state = json.loads((folder / files[0]).read_text())
        model.coef_, model.intercept_ = np.asarray(state["coef"], dtype=np.float64), float(state["intercept"])
    elif kind == "torch_state_dict":
        import torch

        modules = _torch_modules(model)
        for name in files:
            attr = name.removesuffix(".pt")
            if attr not in modules:
                raise NoSafeFormat(f"{cls.__name__} has no module {attr!r} for {name}")
            target = modules[attr].module if hasattr(modules[attr], "module") else modules[attr]
            target.load_state_dict(torch.load(folder / name, weights_only=True, map_location="cpu"))
            target.eval()
        if hasattr(model, "fitted"):
            model.fitted = True
    else:
        raise NoSafeFormat(f"unknown export format {kind!r}")
    return model
