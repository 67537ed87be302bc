"""Platform database: engine, sessions, the declarative base and the schema check/upgrade on start-up."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import DateTime, Engine, Text, create_engine, event
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
AFTER_COMMIT_KEY = "qlp_after_commit"
WRITE_OPTION = "qlp_write"
#: Row ids are INTEGER primary keys (32-bit on MySQL): an id outside 1..MAX_ID names nothing.
MAX_ID = 2**31 - 1


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend (SQLite and MySQL store naive values)."""

    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class PreciseUTCDateTime(UTCDateTime):
    """UTCDateTime with microseconds on MySQL/MariaDB too (their plain DATETIME keeps whole seconds)."""

    cache_ok = True

    def load_dialect_impl(self, dialect: Any) -> Any:
        if dialect.name in ("mysql", "mariadb"):
            return dialect.type_descriptor(mysql.DATETIME(fsp=6))
        return dialect.type_descriptor(DateTime(timezone=False))


#: Text that holds at least 16 MiB on MySQL too (plain TEXT stops at 64 KiB there).
LongText = Text().with_variant(mysql.MEDIUMTEXT(), "mysql", "mariadb")


class Base(DeclarativeBase):
    pass


class SchemaError(RuntimeError):
    """The database schema is not at the newest migration this code knows."""


_POOL = {"pool_size": 20, "max_overflow": 20}


def configure_pool(pool_size: int, max_overflow: int) -> None:
    """Pool size of engines made from now on (the API sets it from its settings before it opens any)."""
    _POOL.update(pool_size=pool_size, max_overflow=max_overflow)


@lru_cache(maxsize=8)
def make_engine(url: str, echo: bool = False) -> Engine:
    """One engine per URL; SQLite gets WAL and a busy timeout so API threads do not trip over each other."""
    if url.startswith("sqlite"):
        Path(url.split("///", 1)[1]).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # the driver's implicit BEGIN is replaced by ours below
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            # A deferred transaction that reads, then writes, fails at once with "database is locked" when
            # another writer got in between (WAL does not wait there). Units of work that write take the write
            # lock up front and queue on the busy timeout instead; readers stay deferred and never block.
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE_OPTION) else "BEGIN")

        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True, pool_recycle=3600, **_POOL)


@lru_cache(maxsize=16)
def session_factory(url: str, write: bool = True) -> sessionmaker[Session]:
    """Sessions for units of work that write (``write=True``) or only read (SQLite: no write lock taken)."""
    engine = make_engine(url)
    return sessionmaker(bind=engine.execution_options(**{WRITE_OPTION: True}) if write else engine,
                        expire_on_commit=False)


def after_commit(session: Session, fn: Callable[[], object]) -> None:
    """Run ``fn`` once the session's transaction has committed (never on rollback)."""
    session.info.setdefault(AFTER_COMMIT_KEY, []).append(fn)


def run_after_commit(session: Session) -> None:
    hooks: list[Callable[[], object]] = session.info.pop(AFTER_COMMIT_KEY, [])
    for fn in hooks:
        fn()


@contextmanager
def session_scope(url: str, write: bool = True) -> Iterator[Session]:
    """A unit of work: commits on success, rolls back on error, then runs the after-commit hooks."""
    session = session_factory(url, write)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        session.info.pop(AFTER_COMMIT_KEY, None)
        raise
    finally:
        session.close()
    run_after_commit(session)


# ----- migrations --------------------------------------------------------------
def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revision() -> str:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    head = script.get_current_head()
    assert head is not None
    return head


def current_revision(url: str) -> str | None:
    with make_engine(url).connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _known(revision: str) -> bool:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False


def upgrade(url: str) -> None:
    """Bring the schema to the newest migration."""
    command.upgrade(alembic_config(url), "head")


def check_schema(url: str) -> None:
    """Refuse to serve on a schema that is not exactly at the newest migration."""
    current, head = current_revision(url), head_revision()
    if current != head:
        raise SchemaError(
            f"platform database schema is at {current or 'nothing'}, this code needs {head}; "
            "start the API (it upgrades on start) or run `qlp migrate`"
        )


def prepare_database(url: str) -> None:
    """Start-up: upgrade to head, then verify (a newer, unknown revision also refuses)."""
    current = current_revision(url)
    if current is not None and not _known(current):
        raise SchemaError(f"platform database is at revision {current}, unknown to this code (newer?)")
    upgrade(url)
    check_schema(url)
