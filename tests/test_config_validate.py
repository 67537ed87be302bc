"""Checking a workflow config without running it: POST /api/configs/validate answers what submitting would refuse,
with the line and column in the text (YAML syntax errors, refused keys and values, through lists, aliases and merge
keys) and the dotted path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from qlp_core.protocol import MAX_CONFIG
from qlp_core.workflow_config import position_of
from tests.conftest import Api

DEMO = (Path(__file__).resolve().parent.parent / "trainers" / "configs" / "demo_lgb_alpha158.yaml").read_text()

MINIMAL = """\
task:
  model:
    class: LGBModel
    module_path: qlib.contrib.model.gbdt
  dataset:
    class: DatasetH
    module_path: qlib.data.dataset
    kwargs:
      handler:
        class: Alpha158
        module_path: qlib.contrib.data.handler
        kwargs:
          instruments: demo
          infer_processors:
            - class: ZScoreNorm
  record:
    - class: SignalRecord
      module_path: qlib.workflow.record_temp
"""


def check(api: Api, text: str, overrides: dict[str, Any] | None = None, role: str = "researcher") -> dict[str, Any]:
    body: dict[str, Any] = {"text": text}
    if overrides is not None:
        body["overrides"] = overrides
    r = api.client.post("/api/configs/validate", json=body, headers=api.headers(role))
    assert r.status_code == 200, r.text
    return dict(r.json())


def only_error(result: dict[str, Any]) -> dict[str, Any]:
    assert result["valid"] is False and len(result["errors"]) == 1, result
    return dict(result["errors"][0])


def test_valid_configs_have_no_errors(api: Api) -> None:
    assert check(api, DEMO) == {"valid": True, "errors": []}
    assert check(api, MINIMAL, {"task.model.kwargs.learning_rate": 0.05}) == {"valid": True, "errors": []}


def test_a_yaml_syntax_error_has_the_parsers_line_and_column(api: Api) -> None:
    err = only_error(check(api, "task:\n  model: [1, 2\n  dataset: x\n"))
    assert err["message"].startswith("invalid YAML:") and err["path"] is None
    assert (err["line"], err["column"]) == (3, 10)
    tab = only_error(check(api, "task:\n\tmodel: 1\n"))
    assert (tab["line"], tab["column"]) == (2, 1) and "'\\t'" in tab["message"]
    tag = only_error(check(api, "x: 1\ntask: !!python/object/apply:os.system ['id']\n"))
    assert "YAML tag !!python/object/apply:os.system is not allowed" in tag["message"]
    assert (tag["line"], tag["column"]) == (2, 7)


def test_a_forbidden_module_is_pointed_at(api: Api) -> None:
    text = MINIMAL.replace("module_path: qlib.contrib.model.gbdt", "module_path: os")
    err = only_error(check(api, text))
    assert err["message"].startswith("task.model.module_path 'os' is not allowed: a model may only come from")
    assert err["path"] == "task.model.module_path"
    assert (err["line"], err["column"]) == (4, 18)  # the value `os`
    # and what submitting the same config answers
    sub = api.client.post("/api/train", headers=api.headers("researcher"), json={"config_text": text, "dataset_id": 1})
    assert sub.status_code == 422 and sub.json()["detail"] == f"config refused: {err['message']}"


def test_a_forbidden_class_inside_a_list(api: Api) -> None:
    text = MINIMAL.replace("- class: ZScoreNorm", "- class: Popen\n              module_path: subprocess")
    err = only_error(check(api, text))
    path = "task.dataset.kwargs.handler.kwargs.infer_processors.0.module_path"
    assert err["path"] == path and err["message"].startswith(f"{path} 'subprocess' is not allowed")
    assert (err["line"], err["column"]) == (16, 28)
    wrong_class = MINIMAL.replace("class: Alpha158", "class: Alpha999")
    err = only_error(check(api, wrong_class))
    assert err["path"] == "task.dataset.kwargs.handler.class" and (err["line"], err["column"]) == (10, 16)


def test_a_refused_key_points_at_the_key(api: Api) -> None:
    err = only_error(check(api, MINIMAL + "BASE_CONFIG_PATH: /etc/x.yaml\n"))
    assert err["path"] == "BASE_CONFIG_PATH" and (err["line"], err["column"]) == (19, 1)
    err = only_error(check(api, MINIMAL + "qlib_init:\n  region: cn\n  mount_path: /mnt\n"))
    assert err["path"] == "qlib_init.mount_path" and (err["line"], err["column"]) == (21, 3)
    err = only_error(check(api, MINIMAL.replace("    class: LGBModel", "    class: LGBModel\n    __init__: 1")))
    assert err["path"] == "task.model.__init__" and (err["line"], err["column"]) == (4, 5)


TRA = """\
shared: &tra_kwargs
  d_feat: 6
  model_type: Evil
base: &tra
  class: TRAModel
  module_path: qlib.contrib.model.pytorch_tra
task:
  model:
    <<: *tra
    kwargs: {KWARGS}
  dataset:
    class: DatasetH
    module_path: qlib.data.dataset
"""


def test_a_bad_kwarg_through_an_alias_and_a_merge_key(api: Api) -> None:
    err = only_error(check(api, TRA.replace("{KWARGS}", "{model_type: Evil, d_feat: 6}")))
    assert err["path"] == "task.model.kwargs.model_type"
    assert err["message"] == ("task.model.kwargs.model_type 'Evil' is not allowed: Qlib eval()s it; it must be RNN or "
                              "Transformer")
    assert (err["line"], err["column"]) == (10, 26)
    # the value comes from an alias: it is where its anchor writes it
    err = only_error(check(api, TRA.replace("{KWARGS}", "*tra_kwargs")))
    assert err["path"] == "task.model.kwargs.model_type" and (err["line"], err["column"]) == (3, 15)
    # ... or from a merge key of the kwargs
    err = only_error(check(api, TRA.replace("{KWARGS}", "{<<: *tra_kwargs, d_feat: 20}")))
    assert err["path"] == "task.model.kwargs.model_type" and (err["line"], err["column"]) == (3, 15)
    # an explicit key beats a merged one, as in the loaded config
    assert check(api, TRA.replace("{KWARGS}", "{<<: *tra_kwargs, model_type: RNN}"))["valid"] is True


def test_override_errors_have_a_path_but_no_line(api: Api) -> None:
    err = only_error(check(api, MINIMAL, {"task.record.5.kwargs.x": 1}))
    assert err == {"message": "override task.record.5.kwargs.x: task.record has 1 items, there is no item 5",
                   "path": "task.record.5.kwargs.x", "line": None, "column": None}
    err = only_error(check(api, MINIMAL, {"task.model.class.x": 1}))
    assert err["path"] == "task.model.class.x" and err["line"] is None
    # a refused value an override sets is not where the text has the old one
    err = only_error(check(api, MINIMAL, {"task.model.module_path": "os"}))
    assert err["path"] == "task.model.module_path" and err["line"] is None and "'os' is not allowed" in err["message"]
    err = only_error(check(api, MINIMAL, {"task.model": {"class": "X", "module_path": "os"}}))
    assert err["path"] == "task.model.module_path" and err["line"] is None
    # an override elsewhere leaves the text's own refusal where it is
    text = MINIMAL.replace("module_path: qlib.contrib.model.gbdt", "module_path: os")
    err = only_error(check(api, text, {"task.model.kwargs.num_leaves": 8}))
    assert (err["line"], err["column"]) == (4, 18)


def test_refusals_that_the_text_does_not_hold(api: Api) -> None:
    err = only_error(check(api, "task:\n  dataset: {class: DatasetH, module_path: qlib.data.dataset}\n"))
    assert err == {"message": "task.model is missing", "path": "task.model", "line": None, "column": None}
    err = only_error(check(api, ""))
    assert err == {"message": "the workflow config is empty", "path": None, "line": None, "column": None}
    err = only_error(check(api, "- 1\n- 2\n"))
    assert err["message"] == "the workflow config must be a mapping, not a list" and err["line"] is None


def test_the_body_is_held_to_its_schema(api: Api) -> None:
    url, headers = "/api/configs/validate", api.headers("researcher")
    big = api.client.post(url, json={"text": "#" * (MAX_CONFIG + 1)}, headers=headers)
    assert big.status_code == 422 and big.json()["code"] == "validation_failed"
    assert "text" in str(big.json()["detail"])
    for body in ({}, {"text": 5}, {"text": "a: 1", "overrides": []},
                 {"text": "a: 1", "overrides": {f"k{i}": i for i in range(201)}}):
        r = api.client.post(url, json=body, headers=headers)
        assert r.status_code == 422 and r.json()["code"] == "validation_failed", (body, r.text)
    # within the characters allowed but over the bytes: the vetting's own refusal
    wide = check(api, "a: " + "é" * (MAX_CONFIG - 10))
    assert "bytes" in only_error(wide)["message"]


def test_who_may_validate(api: Api) -> None:
    body = {"text": MINIMAL}
    assert api.client.post("/api/configs/validate", json=body).status_code == 401
    assert api.client.post("/api/configs/validate", json=body, headers=api.headers("viewer")).status_code == 403
    assert check(api, MINIMAL, role="admin")["valid"] is True
    assert api.client.get("/api/configs", headers=api.headers("viewer")).json() == []  # nothing was stored


@pytest.mark.parametrize(("path", "key", "expected"), [
    ("a", False, (1, 1)),  # a mapping: its key
    ("a.b", False, (2, 6)),
    ("a.b", True, (2, 3)),
    ("a.c.1.d", False, (3, 14)),
    ("e.b", False, (2, 6)),  # merged from a's anchor
    ("e.f", False, (6, 6)),
    ("1", False, (7, 4)),  # keys as the loader makes them: int 1, bool True
    ("True", True, (8, 1)),
    ("g.0", False, (1, 4)),  # an alias: where its anchor is
    ("h.x", False, (13, 11)),  # the later of two merge keys wins
    ("zz", False, (None, None)),
    ("a.c.5", False, (None, None)),
    ("a.c.x", False, (None, None)),
    ("a.b.c", False, (None, None)),
])
def test_position_of_paths(path: str, key: bool, expected: tuple[int | None, int | None]) -> None:
    text = ("a: &x\n  b: 1\n  c: [1, {d: 2}]\ne:\n  <<: *x\n  f: true\n1: one\ntrue: yes\ng:\n  - *x\n"
            "h:\n  <<: {x: 1}\n  <<: {x: 2}\n")
    assert position_of(text, path, key=key) == expected


def test_position_of_survives_recursive_aliases() -> None:
    text = "a: &a\n  <<: *a\n  b: 1\n"
    assert position_of(text, "a.zz") == (None, None)
    assert position_of("not: [valid", "not") == (None, None)
