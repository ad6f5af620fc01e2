"""A real Dask scheduler + worker pair for the batch tests (module-scoped, torn down)."""
from __future__ import annotations

import pytest

from batchkit import start_dask_pair, stop_all


@pytest.fixture(scope="module")
def dask_pair(tmp_path_factory):
    """(address, worker_count) of a running `dask scheduler` with 2 `dask worker` processes."""
    address, procs = start_dask_pair(tmp_path_factory.mktemp("dask"), nworkers=2)
    try:
        yield address, 2
    finally:
        stop_all(procs)
