"""Migrations: upgrade to head on SQLite and the real MariaDB; refuse to serve on an older or unknown schema."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from platform_api.db import SchemaError, check_schema, current_revision, head_revision, make_engine, prepare_database
from platform_api.models import Base
from tests.helpers import mariadb_database

TABLES = {t.name for t in Base.metadata.sorted_tables}


def _check(url: str) -> None:
    with pytest.raises(SchemaError, match="nothing"):
        check_schema(url)  # empty database: behind the newest migration
    prepare_database(url)
    assert current_revision(url) == head_revision()
    names = set(sa.inspect(make_engine(url)).get_table_names())
    assert names >= TABLES
    indexes = {i["name"] for i in sa.inspect(make_engine(url)).get_indexes("jobs")}
    assert {"ix_jobs_state", "ix_jobs_mlflow_run_id"} <= indexes  # a run's page finds its job by index
    prepare_database(url)  # idempotent
    check_schema(url)


def _refuse_unknown(url: str) -> None:
    with make_engine(url).begin() as c:
        c.execute(sa.text("UPDATE alembic_version SET version_num='9999_future'"))
    with pytest.raises(SchemaError, match="unknown"):
        prepare_database(url)
    with pytest.raises(SchemaError):
        check_schema(url)


def test_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/p.db"
    _check(url)
    _refuse_unknown(url)


@pytest.mark.mariadb
def test_mariadb() -> None:
    with mariadb_database() as url:
        _check(url)
        _refuse_unknown(url)
        make_engine(url).dispose()


def test_app_refuses_to_start_on_unknown_schema(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from platform_api.app import create_app
    from tests.helpers import make_settings

    settings = make_settings(tmp_path)
    assert settings.db.url is not None
    prepare_database(settings.db.url)
    with make_engine(settings.db.url).begin() as c:
        c.execute(sa.text("UPDATE alembic_version SET version_num='9999_future'"))
    with pytest.raises(SchemaError), TestClient(create_app(settings)):
        pass
