"""An evaluation names its factor (id and name), in a factor's list of evaluations, in the library's latest
evaluation and on its own: the dashboard's evaluation page links back to the factor from it."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Api
from tests.helpers import generate_dataset


def test_an_evaluation_names_its_factor(api: Api, tmp_path: Path) -> None:
    ds = generate_dataset(api.client, api.headers("researcher"), api.trainer, tmp_path / "gen", n_instruments=6,
                          years=1)
    r = api.client.post("/api/factors", json={"name": "momentum", "expression": "Ref($close, 5) / $close - 1"},
                        headers=api.headers("researcher"))
    assert r.status_code == 201, r.text
    f = r.json()
    r = api.client.post(f"/api/factors/{f['id']}/evaluate", json={"dataset_id": ds["id"], "market": "demo"},
                        headers=api.headers("researcher"))
    assert r.status_code == 202, r.text
    [e] = api.client.get(f"/api/factors/{f['id']}/evaluations", headers=api.headers("viewer")).json()
    assert (e["factor_id"], e["factor"], e["version"]) == (f["id"], "momentum", 1)
    one = api.client.get(f"/api/factors/evaluations/{e['id']}", headers=api.headers("viewer")).json()
    assert (one["factor_id"], one["factor"], one["version"]) == (f["id"], "momentum", 1)
