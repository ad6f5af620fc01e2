"""Helpers for batch tests: article corpora written on the fly, the CLI as a subprocess,
and a real Dask scheduler + worker pair on 127.0.0.1 (random free ports, torn down)."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def seed_variants(n: int) -> list[dict]:
    """n distinct seed-sized records: the seed's paragraphs rotated, plus a numbered line."""
    from tests.conftest import seed_or_skip

    paragraphs = [p for p in seed_or_skip().split("\n\n") if p.strip()]
    out = []
    for i in range(n):
        k = i % len(paragraphs)
        body = paragraphs[:1] + paragraphs[1 + k:] + paragraphs[1:1 + k]
        out.append({"id": f"art-{i:05d}", "url": f"https://example.kz/{i}", "published": "2024-03-05",
                    "text": "\n\n".join(body) + f"\n\nМақала нөмірі {i}.\n"})
    return out


def write_jsonl(path: Path, records: list) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n")
    return path


def read_output(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def run_cli(*args, timeout=240, **kw):
    return subprocess.run([sys.executable, "-c", "from derek.cli import main; main()", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout, **kw)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _dask_cmd(*args: str) -> list[str]:
    exe = BIN / "dask"
    return [str(exe), *args] if exe.exists() else [sys.executable, "-m", "dask", *args]


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)


def start_dask_pair(log: Path, nworkers: int = 2):
    """Start `dask scheduler` + `dask worker` subprocesses; returns (address, processes)."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs = []
    try:
        procs.append(subprocess.Popen(
            _dask_cmd("scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"),
            stdout=open(log / "scheduler.log", "w"), stderr=subprocess.STDOUT, start_new_session=True))
        procs.append(subprocess.Popen(
            _dask_cmd("worker", address, "--nworkers", str(nworkers), "--nthreads", "1",
                      "--host", "127.0.0.1", "--no-dashboard", "--death-timeout", "60"),
            stdout=open(log / "worker.log", "w"), stderr=subprocess.STDOUT, start_new_session=True))
        from distributed import Client

        deadline = time.monotonic() + 90
        while True:
            try:
                with Client(address, timeout="5s", set_as_default=False) as client:
                    client.wait_for_workers(nworkers, timeout=max(1, deadline - time.monotonic()))
                return address, procs
            except (OSError, TimeoutError):
                if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
                    logs = "\n".join(f.read_text()[-2000:] for f in log.iterdir())
                    raise RuntimeError(f"dask scheduler/worker did not start:\n{logs}")
                time.sleep(1)
    except BaseException:
        stop_all(procs)
        raise


def stop_all(procs) -> None:
    for proc in reversed(procs):
        _stop(proc)
