"""The FastAPI application: routers of every domain, one error shape, schema check on start, background tasks."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

import psutil
from anyio import to_thread
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.trustedhost import TrustedHostMiddleware

from platform_api.auth.router import router as auth_router
from platform_api.auth.service import LoginThrottle
from platform_api.auth.web import router as login_router
from platform_api.auth.web import session_router
from platform_api.benchmarks.router import router as benchmarks_router
from platform_api.configs.router import router as configs_router
from platform_api.data.router import features_internal as features_internal_router
from platform_api.data.router import internal as data_internal_router
from platform_api.data.router import router as data_router
from platform_api.data.router import store_internal as store_internal_router
from platform_api.data.universe_router import router as universe_router
from platform_api.db import configure_pool, prepare_database
from platform_api.door.router import make_client
from platform_api.door.router import router as door_router
from platform_api.errors import RequestIdMiddleware, install_error_handlers, operation_id
from platform_api.experiments.router import router as experiments_router
from platform_api.factors.router import internal as factors_internal_router
from platform_api.factors.router import library_internal as factor_library_router
from platform_api.factors.router import router as factors_router
from platform_api.factors.router import sets_router as factor_sets_router
from platform_api.jobs.bus import EventBus, channel_for
from platform_api.jobs.protocol_router import internal as internal_router
from platform_api.jobs.reaper import run_reaper
from platform_api.jobs.router import router as jobs_router
from platform_api.jobs.router import workers_router
from platform_api.jobs.ws import router as ws_router
from platform_api.registry.router import policies_router as model_policies_router
from platform_api.registry.router import router as models_router
from platform_api.system.router import router as system_router
from platform_api.web.spa import router as spa_router
from qlp_core.json_body import warm_validators
from qlp_core.logging_setup import setup_logging
from qlp_core.settings import Settings, get_settings

log = logging.getLogger("qlp.api")
THREADS = 200


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    settings.ensure_secrets()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        assert settings.storage.log_dir is not None and settings.db.url is not None
        setup_logging(settings.storage.log_dir, "api", max_bytes=settings.storage.log_max_bytes,
                      backups=settings.storage.log_backups)
        # Sync endpoints, their session teardown and the WebSocket readers share this pool: a request that
        # holds SQLite's write lock must always find a thread to commit on.
        to_thread.current_default_thread_limiter().total_tokens = THREADS
        configure_pool(settings.db.pool_size, settings.db.max_overflow)
        await to_thread.run_sync(prepare_database, settings.db.url)
        # jsonschema takes seconds to import (its format checkers compile grammars): pay it here, not in the first
        # request with a JSON body (a sign-in that would take seconds)
        await to_thread.run_sync(warm_validators)
        task = asyncio.create_task(run_reaper(settings))
        bus = None
        if settings.events_redis_url:
            bus = EventBus(settings.events_redis_url, channel_for(settings.db.url))
            bus.start()
        app.state.mlflow_client = make_client(settings)
        psutil.cpu_percent(interval=None)  # the first reading is always 0.0: take it now, not on the first /status
        log.info("API ready (mode=%s)", settings.mode)
        try:
            yield
        finally:
            task.cancel()
            if bus is not None:
                await to_thread.run_sync(bus.stop)
            await app.state.mlflow_client.aclose()

    docs = settings.server.public_docs if settings.server.public_docs is not None else settings.embedded
    app = FastAPI(
        title="qlib-platform",
        version="0.1.0",
        lifespan=lifespan,
        docs_url="/docs" if docs else None,
        redoc_url=None,
        openapi_url="/openapi.json" if docs else None,
        generate_unique_id_function=operation_id,
    )
    app.state.settings = settings
    app.state.login_throttle = LoginThrottle()
    install_error_handlers(app)
    if settings.server.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.server.cors_origins,
            allow_credentials=True,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "X-Request-ID", "X-QLP-CSRF"],
        )
    if "*" not in settings.server.allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.server.allowed_hosts)
    app.add_middleware(RequestIdMiddleware)
    # the dashboard's page fallback comes last: every other route wins over it
    for r in (system_router, auth_router, session_router, login_router, data_router, universe_router, configs_router,
              factors_router, factor_sets_router, benchmarks_router, models_router, model_policies_router, jobs_router,
              workers_router, experiments_router, internal_router,
              data_internal_router, store_internal_router, factors_internal_router, factor_library_router,
              features_internal_router,
              ws_router, door_router, spa_router):
        app.include_router(r)
    return app
