"""Settings: QLP_ prefix, nested sections, *_FILE secrets, refusal of default secrets outside embedded mode."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from qlp_core.settings import InsecureSettingsError, Settings


def test_nested_env_and_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QLP_HOME", str(tmp_path))
    monkeypatch.setenv("QLP_SERVER__PORT", "8123")
    monkeypatch.setenv("QLP_BROKER__URL", "redis://127.0.0.1:6379/3")
    s = Settings()
    assert s.server.port == 8123
    assert s.broker_url == "redis://127.0.0.1:6379/3"
    assert s.db.url == f"sqlite:///{tmp_path.resolve()}/platform.db"
    assert s.storage.log_dir is not None and s.storage.log_dir.is_absolute()


def test_secret_from_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "key"
    secret.write_text("k" * 40 + "\n")
    monkeypatch.setenv("QLP_AUTH__SECRET_KEY_FILE", str(secret))
    monkeypatch.setenv("QLP_DB__URL_FILE", str(tmp_path / "dburl"))
    (tmp_path / "dburl").write_text("mysql+pymysql://u:p@db/qlp")
    s = Settings(home=tmp_path)
    assert s.auth.secret_key is not None and s.auth.secret_key.get_secret_value() == "k" * 40
    assert s.db.url == "mysql+pymysql://u:p@db/qlp"


@pytest.mark.parametrize("key", [None, "changeme", "secret", "short-but-random"])
def test_distributed_refuses_missing_or_default_secret(tmp_path: Path, key: str | None) -> None:
    kwargs = {"auth": {"secret_key": key, "trainer_token": "t" * 40}} if key else {}
    s = Settings(home=tmp_path, mode="distributed", **kwargs)
    with pytest.raises(InsecureSettingsError, match="SECRET_KEY"):
        s.ensure_secrets()


def test_distributed_needs_trainer_token(tmp_path: Path) -> None:
    s = Settings(home=tmp_path, mode="distributed", auth={"secret_key": "x" * 48})
    with pytest.raises(InsecureSettingsError, match="TRAINER_TOKEN"):
        s.ensure_secrets()


def test_embedded_generates_private_secrets_once(tmp_path: Path) -> None:
    s = Settings(home=tmp_path)
    s.ensure_secrets()
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    again = Settings(home=tmp_path)
    again.ensure_secrets()
    assert s.auth.secret_key is not None and again.auth.secret_key is not None
    assert again.auth.secret_key.get_secret_value() == s.auth.secret_key.get_secret_value()


def test_worker_needs_no_signing_key(tmp_path: Path) -> None:
    s = Settings(home=tmp_path, mode="distributed", auth={"trainer_token": "t" * 40})
    s.ensure_secrets("worker")
    assert s.auth.secret_key is None
