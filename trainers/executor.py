"""Runs one claimed job: the workflow in a child process, its output shipped as ordered log lines,
heartbeats that carry cancellation, and the end state reported back (MLflow run closed accordingly)."""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from qlp_core.problems import ProblemCode
from qlp_core.proc import stop_group
from qlp_core.protocol import (
    MAX_BATCH,
    VALIDATION_MEMBER,
    DatasetRef,
    FactorEvalPayload,
    IngestPayload,
    JobPayload,
    JobSpec,
    LogLine,
    RunnerSpec,
    WorkflowPayload,
)
from qlp_core.qlib_data import content_hash, tar_stream
from trainers import factor_library, shared_features
from trainers.api_client import Refusal, TrainerAPI, log_line
from trainers.datasets import fetch_upload, local_copy
from trainers.feature_cache import LocalFeatureStore
from trainers.ingest_job import REPORT_NAME

log = logging.getLogger("qlp.trainer")
FLUSH_S = 0.2
HEARTBEAT_S = 1.0
KILL_GRACE_S = 5.0
MAX_LINE = 16000
SECRET_ENV_PREFIXES = ("QLP_AUTH__", "QLP_DB__", "QLP_STORAGE__S3_", "QLP_MLFLOW__S3_")


class LogShipper:
    """Numbers lines from the job's offset, keeps a local copy, and ships them in order in batches."""

    def __init__(self, api: TrainerAPI, job_id: int, worker: str, offset: int, path: Path) -> None:
        self.api, self.job_id, self.worker = api, job_id, worker
        self.seq = offset
        self.pending: list[LogLine] = []
        self.lock = threading.Lock()
        self.file = path.open("a", encoding="utf-8")

    def add(self, line: str) -> None:
        line = line.rstrip("\n")[:MAX_LINE]
        with self.lock:
            self.pending.append(log_line(self.seq, line))
            self.seq += 1
            self.file.write(line + "\n")

    def flush(self) -> None:
        """Ship every pending line, in order, in batches of at most MAX_BATCH; on a failure the unsent lines stay
        pending (in front of any newer ones) and the error is raised."""
        with self.lock:
            self.file.flush()
        while True:
            with self.lock:
                batch, self.pending = self.pending[:MAX_BATCH], self.pending[MAX_BATCH:]
            if not batch:
                return
            try:
                self.api.logs(self.job_id, self.worker, batch)
            except Exception:
                with self.lock:  # keep order: put them back in front
                    self.pending = batch + self.pending
                raise

    def close(self) -> None:
        self.file.close()


class JobExecutor:
    def __init__(self, api: TrainerAPI, worker: str, scratch: Path, fetch_datasets: bool = False,
                 shared_features: LocalFeatureStore | None = None, gpu: bool = False) -> None:
        self.api, self.worker, self.scratch = api, worker, scratch
        self.fetch_datasets = fetch_datasets  # another host: datasets come over the API, not a shared disk
        self.shared_features = shared_features  # this host's feature cache, shared with others through the store
        self.gpu = gpu  # the jobs may use the host's GPUs (a gpu-queue worker); else CUDA is hidden from them

    def run(self, job_id: int) -> str:
        try:
            spec = self.api.claim(job_id, self.worker, socket.gethostname())
        except Refusal as exc:
            if exc.code != ProblemCode.JOB_NOT_CLAIMABLE:
                raise
            log.info("job %s not claimed: %s", job_id, exc.detail)
            return "not-claimed"
        folder = self.scratch / f"job-{job_id}-attempt-{spec.attempt}"
        folder.mkdir(parents=True, exist_ok=True)
        shipper = LogShipper(self.api, job_id, self.worker, spec.log_offset, folder / "job.log")
        try:
            return self._supervise(spec, folder, shipper)
        finally:
            shipper.close()

    def _local_payload(self, spec: JobSpec, folder: Path, shipper: LogShipper) -> JobPayload:
        """The payload with its dataset versions (``dataset``, and ``base`` of an append: fetched once per host when
        not shared) and its upload where this host can read them."""
        payload = spec.payload
        if not self.fetch_datasets:
            return payload
        if isinstance(payload, IngestPayload):
            shipper.add(f"[worker] {fetch_upload(self.api, spec.job_id, self.worker, folder / 'upload')}")
            payload = payload.model_copy(update={"path": str(folder / "upload")})
        update: dict[str, DatasetRef] = {}
        for attr in ("dataset", "base"):
            ref = getattr(payload, attr, None)
            if isinstance(ref, DatasetRef):
                path, note = local_copy(self.api, ref, self.scratch / "datasets")
                if note:
                    shipper.add(f"[worker] {note}")
                update[attr] = ref.model_copy(update={"path": str(path)})
        return payload.model_copy(update=update) if update else payload

    def _fail(self, job_id: int, shipper: LogShipper, why: str) -> str:
        shipper.add(f"[worker] job {job_id} failed: {why}")
        self._try(shipper.flush, attempts=20)
        self.api.finish(job_id, self.worker, "failed", why, {})
        return "failed"

    def _supervise(self, spec: JobSpec, folder: Path, shipper: LogShipper) -> str:
        job_id, payload = spec.job_id, spec.payload
        result_path = folder / "result.json"
        # MLflow through the door, by this worker's own route to the API (the API's advertised URL may be one
        # that only its own network resolves); the path is the door's prefix as the API reports it
        tracking_uri = str(self.api.client.base_url).rstrip("/") + urlsplit(spec.tracking_uri).path
        try:
            local = self._local_payload(spec, folder, shipper)
        except Exception as exc:
            return self._fail(job_id, shipper, f"could not fetch the job's data: {exc}")
        if isinstance(local, FactorEvalPayload):
            local = self._factor_library_before(local, shipper)
        runner_spec = RunnerSpec(job_id=job_id, user=spec.user, tracking_uri=tracking_uri,
                                 result_path=str(result_path), output_dir=str(folder / "output"), kernels=None,
                                 payload=local)
        spec_path = folder / "spec.json"
        spec_path.write_text(runner_spec.model_dump_json())
        feature_key = self._shared_features_before(runner_spec, shipper)
        env = job_environment(os.environ, gpu=self.gpu)
        # Qlib's backtest walks sets of stock codes (Position.get_stock_list): with hash randomisation two identical
        # jobs trade in another order and differ in their returns. One seed makes a rerun give the same numbers.
        env.setdefault("PYTHONHASHSEED", "0")
        if spec.tracking_token:
            # MLflow through the API's door with the job's own token (never written to disk)
            env["MLFLOW_TRACKING_TOKEN"] = spec.tracking_token
            os.environ["MLFLOW_TRACKING_TOKEN"] = spec.tracking_token  # for _close_run in this process
        on = f" (dataset {payload.dataset.name}@v{payload.dataset.version})" if isinstance(payload, WorkflowPayload) \
            else f" ({payload.kind} job)"
        shipper.add(f"[worker] job {job_id} attempt {spec.attempt} on {self.worker}{on}")
        proc = subprocess.Popen(
            [sys.executable, "-u", "-m", payload.runner, str(spec_path)],
            cwd=folder,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
            start_new_session=True,
            env=env,
        )
        markers: dict[str, Any] = {}
        reader = threading.Thread(target=self._read, args=(proc, shipper, markers), daemon=True)
        reader.start()
        cancelled = False
        run_reported = False
        last_beat = 0.0
        while reader.is_alive():
            reader.join(FLUSH_S)
            self._try(shipper.flush)
            if not run_reported and "run" in markers:
                run_reported = self._try(lambda: self.api.run_info(
                    job_id, self.worker, markers["run"]["run_id"], markers["run"]["experiment_id"]))
            if time.monotonic() - last_beat >= HEARTBEAT_S and not cancelled:
                last_beat = time.monotonic()
                try:
                    beat = self.api.heartbeat(job_id, self.worker)
                except Exception as exc:
                    log.warning("heartbeat of job %s failed: %s", job_id, exc)
                    beat = None
                if beat is not None and beat.cancel_requested:
                    cancelled = True
                    shipper.add("[worker] cancel requested: stopping the workflow")
                    stop_group(proc.pid, proc, timeout=KILL_GRACE_S)
        rc = proc.wait()
        if not run_reported and "run" in markers:
            self._try(lambda: self.api.run_info(
                job_id, self.worker, markers["run"]["run_id"], markers["run"]["experiment_id"]))
        metrics: dict[str, float] = {}
        error: str | None = None
        if cancelled:
            state, error = "cancelled", "cancelled by user"
        elif rc == 0:
            state = "succeeded"
            try:
                metrics = self._after(payload.kind)(job_id, folder, result_path, shipper)
            except Exception as exc:
                state, error = "failed", f"{type(exc).__name__}: {exc}"
            if feature_key is not None and state == "succeeded":
                self._shared_features_after(feature_key, shipper)
        else:
            state = "failed"
            error = markers.get("error") or f"{payload.kind} process exited with code {rc}"
        shipper.add(f"[worker] job {job_id} {state}" + (f": {error}" if error else ""))
        run_id = markers.get("run", {}).get("run_id")
        if run_id:
            self._close_run(tracking_uri, run_id, state, shipper)
        self._try(shipper.flush, attempts=20)
        self.api.finish(job_id, self.worker, state, error, metrics)
        return state

    def _factor_library_before(self, payload: FactorEvalPayload, shipper: LogShipper) -> FactorEvalPayload:
        """The payload with this host's library folder, brought up to date with the platform's library on the
        dataset, and the keys to compare with (when the API cannot say, the folder's own entries)."""
        root = factor_library.library_root(self.scratch)
        update: dict[str, Any] = {"library_dir": str(root)}
        try:
            update["library"], note = factor_library.sync(self.api, root, payload.dataset.hash, payload.factor_id)
        except Exception as exc:
            note = f"factor library not synced ({type(exc).__name__}: {exc}): comparing with this host's own"
        shipper.add(f"[worker] {note}")
        return payload.model_copy(update=update)

    def _shared_features_before(self, spec: RunnerSpec, shipper: LogShipper) -> str | None:
        """The job's feature-cache key when entries are shared between hosts, its entry fetched from the store when
        another host published it and this one lacks it."""
        if self.shared_features is None or not isinstance(spec.payload, WorkflowPayload):
            return None
        key = shared_features.feature_key(spec)
        if key is None or self.shared_features.has(key):
            return key
        try:
            note = shared_features.fetch(self.api, self.shared_features, key)
        except Exception as exc:  # the job computes the features itself
            note = f"shared feature cache unavailable: {type(exc).__name__}: {exc}"
        if note:
            shipper.add(f"[worker] {note}")
        return key

    def _shared_features_after(self, key: str, shipper: LogShipper) -> None:
        assert self.shared_features is not None
        try:
            note = shared_features.publish(self.api, self.shared_features, key)
        except Exception as exc:
            note = f"feature cache entry {key[:12]} not published: {type(exc).__name__}: {exc}"
        if note:
            shipper.add(f"[worker] {note}")

    @staticmethod
    def _read(proc: subprocess.Popen[str], shipper: LogShipper, markers: dict[str, Any]) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            shipper.add(line)
            if line.startswith("QLP_RUN "):
                try:
                    markers["run"] = json.loads(line[len("QLP_RUN "):])
                except ValueError:
                    pass
            elif line.startswith("QLP_ERROR "):
                markers["error"] = line[len("QLP_ERROR "):].strip()[:4000]

    def _close_run(self, tracking_uri: str, run_id: str, state: str, shipper: LogShipper) -> None:
        """Attach the whole log to the run; a killed or crashed workflow's run is ended KILLED/FAILED."""
        try:
            from mlflow.tracking import MlflowClient

            client = MlflowClient(tracking_uri)
            status = client.get_run(run_id).info.status
            if status == "RUNNING" and state != "succeeded":
                client.set_terminated(run_id, "KILLED" if state == "cancelled" else "FAILED")
            shipper.file.flush()
            client.log_artifact(run_id, str(shipper.file.name), "logs")
        except Exception as exc:
            log.warning("could not close MLflow run %s: %s", run_id, exc)
            shipper.add(f"[worker] warning: could not update MLflow run {run_id}: {type(exc).__name__}: {exc}")

    @staticmethod
    def _try(fn: Any, attempts: int = 1) -> bool:
        for _ in range(attempts):
            try:
                fn()
                return True
            except Exception as exc:
                log.warning("API call failed: %s", exc)
                time.sleep(0.5)
        return False

    # ----- what a kind does after its process succeeded; returns the job's metrics --------------------------
    def _after(self, kind: str) -> Any:
        return {"workflow": self._workflow_result, "factor_eval": self._factor_result, "market": self._upload_dataset,
                "ingest": self._upload_ingested, "universe": self._upload_dataset}.get(kind, _no_result)

    @staticmethod
    def _workflow_result(job_id: int, folder: Path, result_path: Path, shipper: LogShipper) -> dict[str, float]:
        if not result_path.exists():
            raise RuntimeError("the workflow wrote no result")
        return {k: float(v) for k, v in json.loads(result_path.read_text()).get("metrics", {}).items()}

    def _factor_result(self, job_id: int, folder: Path, result_path: Path, shipper: LogShipper) -> dict[str, float]:
        """An evaluation's summary and series go to the API (stored with the factor version); its headline numbers
        are the job's metrics."""
        if not result_path.exists():
            raise RuntimeError("the evaluation wrote no result")
        out = json.loads(result_path.read_text())
        ranks = None
        spec = RunnerSpec.model_validate_json((folder / "spec.json").read_text())
        p = spec.payload
        if isinstance(p, FactorEvalPayload) and p.library_dir:
            try:
                ranks = factor_library.publish(self.api, Path(p.library_dir), p.dataset.hash, p.factor_id, job_id,
                                               self.worker)
            except Exception as exc:  # the evaluation stands; other hosts will not compare with this factor
                shipper.add(f"[worker] the factor's ranks were not put in the store: {type(exc).__name__}: {exc}")
        self.api.factor_result(job_id, self.worker, out.get("run_id"), out["summary"], out["result"], ranks)
        return {k: float(v) for k, v in out.get("metrics", {}).items()}

    def _upload_dataset(self, job_id: int, folder: Path, result_path: Path, shipper: LogShipper,
                        extra: dict[str, bytes] | None = None) -> dict[str, float]:
        out = folder / "output"
        digest = content_hash(out)
        shipper.add(f"[worker] uploading the dataset ({digest[:12]}…)")
        self._try(shipper.flush)
        done = self.api.upload_dataset(job_id, self.worker, tar_stream(out, extra=extra), digest)
        shipper.add(f"[worker] registered dataset {done.name}@v{done.version} (id {done.dataset_id}"
                    + ("" if done.created else ", same content as before") + ")")
        shutil.rmtree(out, ignore_errors=True)
        return {}


    def _upload_ingested(self, job_id: int, folder: Path, result_path: Path, shipper: LogShipper) -> dict[str, float]:
        """The ingested version, with its validation report beside it (not in it: the content hash is the data's)."""
        report = (folder / REPORT_NAME).read_bytes()
        metrics = self._upload_dataset(job_id, folder, result_path, shipper, extra={VALIDATION_MEMBER: report})
        shutil.rmtree(folder / "upload", ignore_errors=True)
        return metrics


def job_environment(environ: Mapping[str, str], gpu: bool) -> dict[str, str]:
    """The job process's environment: the worker's without its secrets, unbuffered output, and without ``gpu`` no
    CUDA device: Qlib's torch models take ``cuda:GPU`` whenever torch sees one, so a CPU worker's jobs must not."""
    env = {k: v for k, v in environ.items() if not k.startswith(SECRET_ENV_PREFIXES)}
    env["PYTHONUNBUFFERED"] = "1"
    if not gpu:
        env["CUDA_VISIBLE_DEVICES"] = ""
    return env


def _no_result(job_id: int, folder: Path, result_path: Path, shipper: LogShipper) -> dict[str, float]:
    return {}
