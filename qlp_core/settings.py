"""Platform settings: one pydantic-settings tree with the ``QLP_`` prefix and a section per subsystem."""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, SecretStr, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

ENV_PREFIX = "QLP_"
NESTED = "__"

#: Values that must never sign tokens outside the embedded dev mode.
KNOWN_DEFAULT_SECRETS = frozenset(
    {"", "changeme", "change-me", "secret", "secret_key", "your-secret-key", "dev", "development", "test"}
)


class DBSettings(BaseModel):
    url: str | None = Field(
        None,
        description="SQLAlchemy URL of the platform database; default: SQLite file in the data folder. "
        "Example: mysql+pymysql://user:pw@host:3306/qlp",
    )
    echo: bool = Field(False, description="Log every SQL statement.")
    pool_size: int = Field(
        20, ge=1, description="Connections one API process keeps open (server databases only). Too few and busy "
        "processes open and close connections all the time (a TLS handshake each with PyMySQL's default).")
    max_overflow: int = Field(20, ge=0, description="Extra connections above pool_size under bursts.")


class MLflowSettings(BaseModel):
    url: str | None = Field(
        None,
        description="Base URL of an MLflow server started with `qlp mlflow` elsewhere (it serves under "
        "static_prefix). Empty: `qlp up` starts one as a child process.",
    )
    host: str = Field("127.0.0.1", description="Bind address of the embedded MLflow server.")
    port: int = Field(5051, description="Port of the embedded MLflow server.")
    backend_store_uri: str | None = Field(
        None, description="MLflow backend store; default: SQLite file in the data folder."
    )
    artifacts_destination: str | None = Field(
        None, description="Where the MLflow server keeps artifacts; default: a folder in the data folder."
    )
    workers: int = Field(1, description="Uvicorn workers of the MLflow server.")
    static_prefix: str = Field("/mlflow", description="Path prefix MLflow serves under; the door's path too.")
    s3_endpoint_url: str | None = Field(
        None, description="S3 endpoint for s3:// artifact destinations (MinIO, SeaweedFS or any S3)."
    )
    s3_access_key_id: SecretStr | None = Field(None, description="S3 access key (only the MLflow server gets it).")
    s3_secret_access_key: SecretStr | None = Field(None, description="S3 secret key (only the MLflow server).")
    s3_region: str = Field("us-east-1", description="S3 region name.")
    max_artifact_bytes: int = Field(
        5 * 1024**3, description="Largest artifact upload the door lets through (bytes)."
    )
    max_json_bytes: int = Field(16 * 1024**2, description="Largest JSON request body the door lets through.")
    public_url: str | None = Field(
        None, description="Base URL users open for the MLflow UI; default: the tracking URI."
    )
    startup_timeout_s: float = Field(90.0, description="How long to wait for the MLflow server to answer.")


class BrokerSettings(BaseModel):
    url: str | None = Field(
        None,
        description="Celery broker URL (redis://, amqp://). Empty: kombu's filesystem transport in the data folder.",
    )
    default_queue: str = Field("cpu", description="Queue jobs go to unless they name one.")
    polling_interval_s: float = Field(0.1, description="Polling interval of the filesystem transport.")
    visibility_timeout_s: int = Field(
        3600, description="Redis redelivers a message that a worker took but never started within this time "
        "(the worker died holding it). Running jobs hold no message, so this need not exceed the longest job."
    )
    consumer_timeout_s: float = Field(
        7 * 24 * 3600, gt=0, description="RabbitMQ 3.11.15+: how long a worker may hold a job's message (the "
        "job's run time) before the broker takes it back; older servers use their own consumer_timeout.")
    transport_options: dict[str, Any] = Field(
        default_factory=dict, description="Extra kombu transport options (JSON), laid over the platform's own: "
        "e.g. Redis Sentinel's master_name, or unacked_restore_interval.")


class StorageSettings(BaseModel):
    datasets_dir: Path | None = Field(None, description="Where dataset versions live; default: <home>/datasets.")
    scratch_dir: Path | None = Field(None, description="Worker scratch folder; default: <home>/scratch.")
    import_dir: Path | None = Field(
        None, description="Only Qlib folders below this one may be registered as datasets; default: <home>/imports."
    )
    shared_datasets: bool | None = Field(
        None, description="Workers read dataset folders where the API keeps them (a shared disk) instead of "
        "downloading each version once per host into their scratch folder; default: only in embedded mode.")
    log_dir: Path | None = Field(None, description="Absolute folder of the rotated service logs; default: <home>/logs.")
    log_max_bytes: int = Field(10 * 1024 * 1024, description="Rotate a service log at this size.")
    log_backups: int = Field(5, description="Rotated service logs kept.")
    uploads_dir: Path | None = Field(
        None, description="Where the API keeps uploaded market data (unpacked, by content hash) until ingest jobs "
        "read it; default: <scratch>/uploads.")
    max_upload_bytes: int = Field(2 * 1024**3, ge=1, description="Largest market-data upload (bytes): the stream is "
                                  "refused with 413 as soon as it passes this.")
    max_unpacked_bytes: int = Field(16 * 1024**3, ge=1, description="Most bytes an uploaded archive (or .csv.gz) may "
                                    "unpack to.")
    dataset_store: str | None = Field(
        None, description="Where dataset versions' packs and manifests live, the store every host fetches versions "
        "from: `s3://bucket/prefix` (an S3-compatible server, see s3_*) or an absolute folder; default: <home>/store.")
    s3_endpoint_url: str | None = Field(None, description="S3 endpoint of an s3:// dataset store, as the API reaches "
                                        "it (MinIO, SeaweedFS or any S3).")
    s3_public_endpoint_url: str | None = Field(
        None, description="The same endpoint as workers reach it, for the presigned URLs they get; default: "
        "s3_endpoint_url.")
    s3_access_key_id: SecretStr | None = Field(None, description="Access key of the dataset store (the API only: "
                                               "workers get presigned URLs).")
    s3_secret_access_key: SecretStr | None = Field(None, description="Secret key of the dataset store (the API only).")
    s3_region: str = Field("us-east-1", description="Region of the dataset store.")
    presign_expiry_s: int = Field(900, ge=30, le=7 * 86400, description="How long a worker's presigned URL for a "
                                  "pack or manifest is valid (seconds).")
    pack_bytes: int = Field(256 * 1024**2, ge=64 * 1024, description="A dataset pack is closed at this size (bytes).")
    max_archive_members: int = Field(100_000, ge=1, description="Most files and folders an uploaded archive may hold.")
    max_unpack_ratio: float = Field(200.0, gt=1, description="Most an upload may grow when unpacked (unpacked ÷ "
                                    "uploaded bytes), past 64 MiB unpacked: beyond it the upload is a zip bomb.")


class WorkerSettings(BaseModel):
    feature_cache: bool = Field(
        True, description="Keep each job's processed dataset (a Qlib handler's frames) on this worker host, keyed by "
        "a hash of everything that changes it, and reuse it in later jobs with the same key.")
    feature_cache_dir: Path | None = Field(
        None, description="Absolute folder of the feature cache on this host; default: <home>/feature-cache.")
    feature_cache_shared: bool | None = Field(
        None, description="Publish this host's feature-cache entries to the platform's dataset store and fetch the "
        "ones other hosts published, so one host's computation serves all; default: on for workers that fetch "
        "datasets (no shared disk), off where workers share the API's disk.")
    feature_cache_max_bytes: int = Field(
        20 * 1024**3, ge=0, description="Size bound of the feature cache (bytes): least recently used entries are "
        "evicted past it.")
    gpu: bool | None = Field(
        None, description="Let this worker's jobs use the host's GPUs (CUDA), as a torch model's GPU kwarg asks; "
        "default: only a worker that consumes the gpu queue (`qlp worker --queues gpu`). Other workers run their jobs "
        "with CUDA_VISIBLE_DEVICES empty, so torch models train on the CPU whatever their config says.")


class AuthSettings(BaseModel):
    secret_key: SecretStr | None = Field(
        None, description="Key that signs JWTs (HS256). Required outside the embedded mode; at least 32 characters."
    )
    trainer_token: SecretStr | None = Field(
        None, description="Shared token trainer workers present to the API. Required outside the embedded mode."
    )
    algorithm: Literal["HS256"] = Field("HS256", description="JWT algorithm (pinned).")
    issuer: str = Field("qlib-platform", description="JWT issuer claim.")
    audience: str = Field("qlp-api", description="JWT audience claim.")
    access_token_minutes: int = Field(15, description="Lifetime of an access token.")
    refresh_token_days: int = Field(14, description="Lifetime of a refresh token.")


class ServerSettings(BaseModel):
    host: str = Field("127.0.0.1", description="Bind address of the API.")
    port: int = Field(8000, description="Port of the API.")
    api_url: str | None = Field(
        None, description="URL workers and the CLI use to reach the API; default: http://host:port."
    )
    cors_origins: list[str] = Field(
        default_factory=list, description="Origins allowed by CORS; empty: same-origin only."
    )
    ws_ping_interval_s: float = Field(15.0, description="Server ping interval on WebSockets.")
    ws_queue_batches: int = Field(
        1000, ge=1, description="Log batches queued for one WebSocket follower before a stalled one is closed (4408).")
    ws_send_timeout_s: float = Field(
        30.0, gt=0, description="A WebSocket follower that takes no frame for this long is closed (4408).")
    allowed_hosts: list[str] = Field(
        default_factory=lambda: ["127.0.0.1", "localhost", "[::1]"],
        description="Host headers the API answers (DNS-rebinding guard); add the public name; ['*'] turns it off.",
    )
    session_hours: float = Field(12.0, description="Lifetime of the browser session cookie (dashboard, MLflow UI).")
    dashboard_dir: Path | None = Field(
        None, description="The built dashboard (index.html and assets/) served at /; default: frontend/dist of "
        "this checkout.")
    public_docs: bool | None = Field(
        None, description="Serve /docs and /openapi.json without login; default: only in embedded mode."
    )
    events_url: str | None = Field(
        None, description="Redis that relays live job events (log lines, state changes) between API processes; "
        "default: the broker's URL when it is redis://. 'none' turns it off: processes then see each other's "
        "lines on their next database poll (within a second).")
    log_poll_s: float = Field(
        1.0, gt=0, description="How often a live-log feed also reads the database (lines stored by other API "
        "processes when no event bus relays them; a missed event).")
    job_lease_s: float = Field(
        60.0, description="A running job whose heartbeat is older than this lost its worker: it is queued again."
    )
    redispatch_after_s: float = Field(
        120.0, description="A queued job no worker claimed for this long is sent to the broker again."
    )
    workers: int = Field(1, description="Trainer workers `qlp up` starts.")
    worker_concurrency: int = Field(1, description="Jobs one embedded worker runs at once.")


class FileSecretsSource(PydanticBaseSettingsSource):
    """Reads ``QLP_SECTION__FIELD_FILE=/path`` variables: the value is the file's content."""

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:  # pragma: no cover
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, path in os.environ.items():
            if not key.startswith(ENV_PREFIX) or not key.endswith("_FILE"):
                continue
            parts = key[len(ENV_PREFIX) : -len("_FILE")].lower().split(NESTED)
            value = Path(path).read_text().strip()
            node = out
            for part in parts[:-1]:
                node = node.setdefault(part, {})
            node[parts[-1]] = value
        return out


class Settings(BaseSettings):
    """All settings of the platform. Environment: ``QLP_<SECTION>__<FIELD>``; secrets also ``..._FILE``."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter=NESTED,
        env_file=".env",
        extra="ignore",
    )

    mode: Literal["embedded", "distributed"] = Field(
        "embedded", description="embedded: one machine, dev secrets generated; distributed: secrets required."
    )
    home: Path = Field(Path(".qlp"), description="Data folder of the platform.")
    db: DBSettings = Field(default_factory=DBSettings)  # type: ignore[arg-type]
    mlflow: MLflowSettings = Field(default_factory=MLflowSettings)  # type: ignore[arg-type]
    broker: BrokerSettings = Field(default_factory=BrokerSettings)  # type: ignore[arg-type]
    storage: StorageSettings = Field(default_factory=StorageSettings)  # type: ignore[arg-type]
    auth: AuthSettings = Field(default_factory=AuthSettings)  # type: ignore[arg-type]
    server: ServerSettings = Field(default_factory=ServerSettings)  # type: ignore[arg-type]
    worker: WorkerSettings = Field(default_factory=WorkerSettings)  # type: ignore[arg-type]

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, FileSecretsSource(settings_cls), dotenv_settings, file_secret_settings)

    @model_validator(mode="after")
    def _resolve(self) -> Settings:
        self.home = self.home.expanduser().resolve()
        st = self.storage
        st.datasets_dir = (st.datasets_dir or self.home / "datasets").expanduser().resolve()
        st.scratch_dir = (st.scratch_dir or self.home / "scratch").expanduser().resolve()
        st.uploads_dir = (st.uploads_dir or st.scratch_dir / "uploads").expanduser().resolve()
        st.import_dir = (st.import_dir or self.home / "imports").expanduser().resolve()
        st.log_dir = (st.log_dir or self.home / "logs").expanduser().resolve()
        if st.dataset_store is None:
            st.dataset_store = str(self.home / "store")
        elif not st.dataset_store.startswith("s3://"):
            st.dataset_store = str(Path(st.dataset_store).expanduser().resolve())
        wk = self.worker
        wk.feature_cache_dir = (wk.feature_cache_dir or self.home / "feature-cache").expanduser().resolve()
        if self.db.url is None:
            self.db.url = f"sqlite:///{self.home / 'platform.db'}"
        if self.mlflow.backend_store_uri is None:
            self.mlflow.backend_store_uri = f"sqlite:///{self.home / 'mlflow.db'}"
        if self.mlflow.artifacts_destination is None:
            self.mlflow.artifacts_destination = str(self.home / "mlartifacts")
        if self.server.api_url is None:
            self.server.api_url = f"http://{self.server.host}:{self.server.port}"
        return self

    # ----- derived values -------------------------------------------------
    @property
    def embedded(self) -> bool:
        return self.mode == "embedded"

    @property
    def tracking_uri(self) -> str:
        """Where the MLflow server itself listens (loopback or a private network; never exposed)."""
        return self.mlflow_upstream + self.mlflow.static_prefix

    @property
    def mlflow_upstream(self) -> str:
        """Base URL of the MLflow server (scheme, host, port)."""
        return (self.mlflow.url or f"http://{self.mlflow.host}:{self.mlflow.port}").rstrip("/")

    @property
    def events_redis_url(self) -> str | None:
        url = self.server.events_url
        if url is None:
            url = self.broker.url if self.broker.url and self.broker.url.startswith(("redis://", "rediss://")) else None
        return None if url is None or url.lower() == "none" else url

    @property
    def door_uri(self) -> str:
        """MLflow through the API's authenticated door: what trainers and users point MLflow clients at."""
        assert self.server.api_url is not None
        return self.server.api_url.rstrip("/") + self.mlflow.static_prefix

    @property
    def mlflow_public_url(self) -> str:
        return (self.mlflow.public_url or self.door_uri).rstrip("/")

    @property
    def broker_url(self) -> str:
        return self.broker.url or "filesystem://"

    @property
    def broker_folder(self) -> Path:
        return self.home / "broker"

    def ensure_secrets(self, role: Literal["api", "worker"] = "api") -> None:
        """Fill the dev secrets in embedded mode (kept 0600 in the data folder); refuse defaults otherwise.

        A worker needs only the trainer token: it never holds the key that signs user tokens."""
        if self.embedded:
            if self.auth.secret_key is None:
                self.auth.secret_key = SecretStr(_persistent_secret(self.home / "secret_key"))
            if self.auth.trainer_token is None:
                self.auth.trainer_token = SecretStr(_persistent_secret(self.home / "trainer_token"))
            return
        key = self.auth.secret_key.get_secret_value() if self.auth.secret_key else ""
        if role == "api" and (key.lower() in KNOWN_DEFAULT_SECRETS or len(key) < 32):
            raise InsecureSettingsError(
                "QLP_AUTH__SECRET_KEY (or QLP_AUTH__SECRET_KEY_FILE) must be set to a random value of at "
                "least 32 characters outside the embedded mode"
            )
        token = self.auth.trainer_token.get_secret_value() if self.auth.trainer_token else ""
        if token.lower() in KNOWN_DEFAULT_SECRETS or len(token) < 24:
            raise InsecureSettingsError(
                "QLP_AUTH__TRAINER_TOKEN (or QLP_AUTH__TRAINER_TOKEN_FILE) must be set to a random value of "
                "at least 24 characters outside the embedded mode"
            )


class InsecureSettingsError(RuntimeError):
    """Raised when the platform would start with a missing or default secret."""


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` readable by the owner only (0600), creating folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(text)
    os.chmod(path, 0o600)


def _persistent_secret(path: Path) -> str:
    if path.exists():
        return path.read_text().strip()
    value = secrets.token_urlsafe(48)
    write_private(path, value)
    return value


@lru_cache
def get_settings(role: Literal["api", "worker"] = "api") -> Settings:
    """The process-wide settings, read once from the environment, with the secrets ``role`` needs."""
    settings = Settings()  # type: ignore[call-arg]  # fields come from the environment
    settings.ensure_secrets(role)
    return settings
