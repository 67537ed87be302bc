"""The door authenticates in a reading session: on SQLite a busy writer elsewhere never stalls an MLflow call."""

from __future__ import annotations

import sqlite3

from tests.conftest import Api


def test_door_authenticates_while_another_writer_holds_the_lock(api: Api) -> None:
    assert api.settings.db.url is not None
    writer = sqlite3.connect(api.settings.db.url.removeprefix("sqlite:///"), timeout=1, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # the write lock, held for the whole request below
    try:
        r = api.client.get("/mlflow/api/2.0/mlflow/experiments/search", params={"max_results": 1},
                           headers=api.headers("viewer"))
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    # authenticated and passed on: no MLflow server runs in this test, so the door answers 502 (with a write
    # session it would queue on the lock for the busy timeout and fail with "database is locked")
    assert r.status_code == 502 and r.json()["code"] == "unavailable", r.text
