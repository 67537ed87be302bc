"""Feature-cache entries shared between hosts through the platform's store: before a workflow runs, the worker fetches
the entry of its key when another host published it and this host lacks it; after a run that computed and stored
it, the worker publishes it. Entries travel as one tar object each, straight to and from the store (presigned URLs),
and are checked against their own checksums before a job may use them."""

from __future__ import annotations

import copy
import logging
import os
import tempfile
import time
from pathlib import Path

from qlp_core.protocol import RunnerSpec, WorkflowPayload
from trainers import transfer
from trainers.api_client import TrainerAPI
from trainers.feature_cache import (
    MB,
    LocalFeatureStore,
    Uncacheable,
    cache_key,
    eligible_handler_class,
    key_inputs,
)

log = logging.getLogger("qlp.trainer.features")


def feature_key(spec: RunnerSpec) -> str | None:
    """The feature-cache key the runner will compute for this workflow (None when its handler is not cacheable or
    its config does not prepare)."""
    from trainers.runner import build_config

    if not isinstance(spec.payload, WorkflowPayload):
        return None
    try:
        _, prepared = build_config(spec)
        dataset = prepared["task"]["dataset"]
        eligible_handler_class(copy.deepcopy((dataset.get("kwargs") or {}).get("handler")))
        return cache_key(key_inputs(dataset, spec.payload.dataset.hash, prepared["qlib_init"]))
    except (Uncacheable, ValueError, KeyError, TypeError):
        return None


def fetch(api: TrainerAPI, store: LocalFeatureStore, key: str) -> str | None:
    """The published entry of ``key`` into this host's cache; a note for the job log, None when none is published."""
    r = api.client.get(f"/api/internal/features/{key}", timeout=60)
    if r.status_code == 404:
        return None
    if r.status_code != 200:
        return f"shared feature cache unavailable (HTTP {r.status_code})"
    t0 = time.monotonic()
    fd, tmp = tempfile.mkstemp(dir=store.root / "tmp", prefix=f".{key[:12]}-", suffix=".tar")
    os.close(fd)
    try:
        with transfer.plain_client() as plain:
            got = transfer.download(api.client, plain, r.json()["url"], Path(tmp))
        if not store.import_entry(key, Path(tmp)):
            return f"shared feature entry {key[:12]} was unusable: left out"
        took = time.monotonic() - t0
        return f"fetched feature cache entry {key[:12]} from the store ({got / MB:.1f} MB, {took:.1f}s)"
    except transfer.TransferError as exc:
        return f"shared feature entry {key[:12]}: {exc}"
    finally:
        Path(tmp).unlink(missing_ok=True)


def publish(api: TrainerAPI, store: LocalFeatureStore, key: str) -> str | None:
    """This host's entry of ``key`` published for the other hosts; a note for the job log (None when there is no
    entry here or it is published already)."""
    if not store.has(key):
        return None
    r = api.client.post(f"/api/internal/features/{key}", timeout=60)
    if r.status_code == 409:
        return None  # another host published it first
    if r.status_code != 200:
        return f"feature cache entry {key[:12]} not published (HTTP {r.status_code})"
    fd, tmp = tempfile.mkstemp(dir=store.root / "tmp", prefix=f".{key[:12]}-", suffix=".tar")
    os.close(fd)
    try:
        if not store.export_entry(key, Path(tmp)):
            return None
        t0 = time.monotonic()
        with transfer.plain_client() as plain:
            size = transfer.upload(api.client, plain, r.json()["url"], Path(tmp), "application/x-tar")
        return f"published feature cache entry {key[:12]} to the store ({size / MB:.1f} MB, " \
               f"{time.monotonic() - t0:.1f}s)"
    except transfer.TransferError as exc:
        return f"feature cache entry {key[:12]} not published ({exc})"
    finally:
        Path(tmp).unlink(missing_ok=True)
