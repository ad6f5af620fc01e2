"""Where the work runs: a local Dask cluster of worker processes, or a running scheduler.

Local workers are processes with one thread each: derek's stages are pure Python, so
threads would share one GIL; processes give one core per worker.
"""
from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from typing import Iterator

CONNECT_TIMEOUT_S = 20
WORKER_WAIT_S = 60


class SchedulerError(RuntimeError):
    """The Dask scheduler cannot be reached, has no workers, or went away."""


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def quiet_dask_logs() -> None:
    """Dask logs connection noise when a cluster shuts down; the batch reports its own errors."""
    for name in ("distributed", "tornado", "asyncio"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


@contextmanager
def connect(workers: int | None, scheduler: str | None) -> Iterator["distributed.Client"]:
    from distributed import Client

    quiet_dask_logs()
    if scheduler:
        try:
            client = Client(scheduler, timeout=f"{CONNECT_TIMEOUT_S}s", set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise SchedulerError(f"cannot reach the Dask scheduler at {scheduler} ({_one_line(exc)})") from None
        try:
            try:
                client.wait_for_workers(1, timeout=WORKER_WAIT_S)
            except (TimeoutError, OSError):
                raise SchedulerError(f"the Dask scheduler at {scheduler} has no workers "
                                     f"(waited {WORKER_WAIT_S} s)") from None
            yield client
        finally:
            client.close()
        return
    from distributed import LocalCluster

    cluster = LocalCluster(n_workers=workers or default_workers(), threads_per_worker=1,
                           processes=True, host="127.0.0.1", dashboard_address=None,
                           silence_logs=logging.CRITICAL)
    try:
        client = Client(cluster, set_as_default=False)
        try:
            yield client
        finally:
            client.close()
    finally:
        cluster.close()


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__
