"""Runs one claimed job: the workflow in a child process, its output shipped as ordered log lines,
heartbeats that carry cancellation, and the end state reported back (MLflow run closed accordingly)."""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from trainers.api_client import Conflict, TrainerAPI
from trainers.datasets import local_copy

log = logging.getLogger("qlp.trainer")
FLUSH_S = 0.2
HEARTBEAT_S = 1.0
KILL_GRACE_S = 5.0
MAX_LINE = 16000
SECRET_ENV_PREFIXES = ("QLP_AUTH__", "QLP_DB__")


class LogShipper:
    """Numbers lines from the job's offset, keeps a local copy, and ships them in order in batches."""

    def __init__(self, api: TrainerAPI, job_id: int, worker: str, offset: int, path: Path) -> None:
        self.api, self.job_id, self.worker = api, job_id, worker
        self.seq = offset
        self.pending: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self.file = path.open("a", encoding="utf-8")

    def add(self, line: str) -> None:
        line = line.rstrip("\n")[:MAX_LINE]
        with self.lock:
            self.pending.append({"seq": self.seq, "ts": datetime.now(UTC).isoformat(), "line": line})
            self.seq += 1
            self.file.write(line + "\n")

    def flush(self) -> None:
        with self.lock:
            batch, self.pending = self.pending[:5000], self.pending[5000:]
            self.file.flush()
        if batch:
            try:
                self.api.logs(self.job_id, self.worker, batch)
            except Exception:
                with self.lock:  # keep order: put them back in front
                    self.pending = batch + self.pending
                raise

    def close(self) -> None:
        self.file.close()


class JobExecutor:
    def __init__(self, api: TrainerAPI, worker: str, scratch: Path, fetch_datasets: bool = False) -> None:
        self.api, self.worker, self.scratch = api, worker, scratch
        self.fetch_datasets = fetch_datasets  # another host: datasets come over the API, not a shared disk

    def run(self, job_id: int) -> str:
        try:
            spec = self.api.claim(job_id, self.worker, socket.gethostname())
        except Conflict as exc:
            log.info("job %s not claimed: %s", job_id, exc)
            return "not-claimed"
        folder = self.scratch / f"job-{job_id}-attempt-{spec['attempt']}"
        folder.mkdir(parents=True, exist_ok=True)
        shipper = LogShipper(self.api, job_id, self.worker, spec["log_offset"], folder / "job.log")
        try:
            return self._supervise(spec, folder, shipper)
        finally:
            shipper.close()

    def _supervise(self, spec: dict[str, Any], folder: Path, shipper: LogShipper) -> str:
        job_id = spec["job_id"]
        result_path = folder / "result.json"
        # MLflow through the door, by this worker's own route to the API (the API's advertised URL may be one
        # that only its own network resolves); the path is the door's prefix as the API reports it
        spec["tracking_uri"] = str(self.api.client.base_url).rstrip("/") + urlsplit(spec["tracking_uri"]).path
        dataset = spec["dataset"]
        if dataset and self.fetch_datasets:
            try:
                path, note = local_copy(self.api, dataset, self.scratch / "datasets")
            except Exception as exc:
                why = f"could not fetch dataset {dataset['name']}@v{dataset['version']}: {exc}"
                shipper.add(f"[worker] job {job_id} failed: {why}")
                self._try(shipper.flush, attempts=20)
                self.api.finish(job_id, self.worker, "failed", why, {})
                return "failed"
            dataset = {**dataset, "path": str(path)}
            if note:
                shipper.add(f"[worker] {note}")
        runner_spec = {
            "job_id": job_id,
            "config_text": spec["config_text"],
            "overrides": spec["overrides"],
            "dataset": dataset,
            "tracking_uri": spec["tracking_uri"],
            "experiment_name": spec["experiment_name"],
            "user": spec["user"],
            "result_path": str(result_path),
            "kernels": None,
        }
        spec_path = folder / "spec.json"
        spec_path.write_text(json.dumps(runner_spec))
        env = {k: v for k, v in os.environ.items() if not k.startswith(SECRET_ENV_PREFIXES)}
        env["PYTHONUNBUFFERED"] = "1"
        if spec["tracking_token"]:
            # MLflow through the API's door with the job's own token (never written to disk)
            env["MLFLOW_TRACKING_TOKEN"] = spec["tracking_token"]
            os.environ["MLFLOW_TRACKING_TOKEN"] = spec["tracking_token"]  # for _close_run in this process
        ds = spec["dataset"]
        on = f" (dataset {ds['name']}@v{ds['version']})" if ds else ""
        shipper.add(f"[worker] job {job_id} attempt {spec['attempt']} on {self.worker}{on}")
        module = "trainers.probe" if spec.get("kind") == "probe" else "trainers.runner"
        proc = subprocess.Popen(
            [sys.executable, "-u", "-m", module, str(spec_path)],
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
                    beat = {}
                if beat.get("cancel_requested"):
                    cancelled = True
                    shipper.add("[worker] cancel requested: stopping the workflow")
                    _kill_group(proc)
        rc = proc.wait()
        if not run_reported and "run" in markers:
            self._try(lambda: self.api.run_info(
                job_id, self.worker, markers["run"]["run_id"], markers["run"]["experiment_id"]))
        metrics: dict[str, float] = {}
        error: str | None = None
        if cancelled:
            state = "cancelled"
            error = "cancelled by user"
        elif rc == 0 and spec.get("kind") == "probe":
            state = "succeeded"
        elif rc == 0 and result_path.exists():
            state = "succeeded"
            metrics = {k: float(v) for k, v in json.loads(result_path.read_text()).get("metrics", {}).items()}
        else:
            state = "failed"
            error = markers.get("error") or f"workflow exited with code {rc}"
        shipper.add(f"[worker] job {job_id} {state}" + (f": {error}" if error else ""))
        run_id = markers.get("run", {}).get("run_id")
        if run_id:
            self._close_run(spec["tracking_uri"], run_id, state, shipper)
        self._try(shipper.flush, attempts=20)
        self.api.finish(job_id, self.worker, state, error, metrics)
        return state

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


def _kill_group(proc: subprocess.Popen[str]) -> None:
    """SIGTERM the workflow's process group (joblib children included), SIGKILL after a grace period."""
    try:
        pgid = os.getpgid(proc.pid)
    except ProcessLookupError:
        return
    os.killpg(pgid, signal.SIGTERM)
    try:
        proc.wait(KILL_GRACE_S)
    except subprocess.TimeoutExpired:
        os.killpg(pgid, signal.SIGKILL)
