"""A trained model of each kind Qlib's zoo holds (LightGBM, XGBoost, CatBoost, linear, torch) is written in a format
that loads without a pickle and put back into a fresh object of its class: the predictions are the same; a model
with no such format, or an export put into another class, is refused with a reason."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from trainers.model_exports import NoSafeFormat, describe, export, load_into

RNG = np.random.default_rng(7)
X = RNG.normal(size=(400, 12))
Y = X[:, 0] * 0.5 - X[:, 3] * 0.2 + RNG.normal(scale=0.1, size=400)


def _roundtrip(model: Any, fresh: Any, folder: Path, predict: Any) -> None:
    files = export(model, folder)
    assert files[-1] == "export.json" and all((folder / f).is_file() for f in files)
    for f in files:  # nothing written is a pickle
        assert not (folder / f).read_bytes().startswith(b"\x80"), f
    back = load_into(fresh, folder)
    np.testing.assert_allclose(predict(back), predict(model), rtol=0, atol=1e-9)


def test_lightgbm(tmp_path: Path) -> None:
    import lightgbm as lgb
    from qlib.contrib.model.gbdt import LGBModel

    model = LGBModel(num_boost_round=20, verbosity=-1)
    model.model = lgb.train({"objective": "regression", "verbosity": -1, "num_leaves": 8}, lgb.Dataset(X, Y), 20)
    _roundtrip(model, LGBModel(), tmp_path, lambda m: m.model.predict(X))
    assert describe(tmp_path)["format"] == "lightgbm_text"


def test_xgboost(tmp_path: Path) -> None:
    import xgboost as xgb
    from qlib.contrib.model.xgboost import XGBModel

    model = XGBModel()
    model.model = xgb.train({"max_depth": 3, "eta": 0.3}, xgb.DMatrix(X, label=Y), 20)
    _roundtrip(model, XGBModel(), tmp_path, lambda m: m.model.predict(xgb.DMatrix(X)))
    assert describe(tmp_path)["format"] == "xgboost_ubj"


def test_catboost(tmp_path: Path) -> None:
    from catboost import CatBoost, Pool
    from qlib.contrib.model.catboost_model import CatBoostModel

    model = CatBoostModel()
    model.model = CatBoost({"iterations": 20, "depth": 3, "verbose": False, "thread_count": 1, "random_seed": 0,
                            "allow_writing_files": False})
    model.model.fit(Pool(X, Y))
    _roundtrip(model, CatBoostModel(), tmp_path, lambda m: m.model.predict(X))
    assert describe(tmp_path)["format"] == "catboost"


def test_linear(tmp_path: Path) -> None:
    from qlib.contrib.model.linear import LinearModel

    model = LinearModel()
    model.coef_, model.intercept_ = np.linalg.lstsq(X, Y, rcond=None)[0], 0.25
    _roundtrip(model, LinearModel(), tmp_path, lambda m: X @ m.coef_ + m.intercept_)


def test_torch_state_dict_loads_with_weights_only(tmp_path: Path) -> None:
    import torch
    from qlib.contrib.model.pytorch_nn import DNNModelPytorch

    kwargs = {"pt_model_kwargs": {"input_dim": 12, "layers": (16,)}, "GPU": -1, "seed": 3, "scheduler": None}
    model = DNNModelPytorch(**kwargs)
    with torch.no_grad():
        for p in model.dnn_model.parameters():
            p.add_(torch.randn_like(p))
    fresh = DNNModelPytorch(**{**kwargs, "seed": 4})
    x = torch.tensor(X, dtype=torch.float32)

    def forward(m: Any) -> np.ndarray:
        m.dnn_model.eval()
        with torch.no_grad():
            return m.dnn_model(x).numpy().ravel()

    assert not np.allclose(forward(fresh), forward(model))
    _roundtrip(model, fresh, tmp_path, forward)
    assert describe(tmp_path) == {"format": "torch_state_dict", "files": ["dnn_model.pt"],
                                  "model_class": "qlib.contrib.model.pytorch_nn.DNNModelPytorch"}
    assert fresh.fitted
    # a pickle of anything but tensors in the file is refused by weights_only
    (tmp_path / "dnn_model.pt").unlink()
    torch.save({"layer": _Evil()}, tmp_path / "dnn_model.pt")
    with pytest.raises(pickle.UnpicklingError):
        load_into(DNNModelPytorch(**kwargs), tmp_path)


class _Evil:
    def __reduce__(self) -> tuple[Any, ...]:
        return (print, ("unpickled!",))


def test_refusals(tmp_path: Path) -> None:
    from qlib.contrib.model.gbdt import LGBModel
    from qlib.contrib.model.xgboost import XGBModel

    class Opaque:
        model = object()

    with pytest.raises(NoSafeFormat, match="keeps no state"):
        export(Opaque(), tmp_path / "x")
    import lightgbm as lgb

    model = LGBModel()
    model.model = lgb.train({"objective": "regression", "verbosity": -1}, lgb.Dataset(X, Y), 5)
    export(model, tmp_path / "lgb")
    with pytest.raises(NoSafeFormat, match=r"not qlib\.contrib\.model\.xgboost\.XGBModel"):
        load_into(XGBModel(), tmp_path / "lgb")
