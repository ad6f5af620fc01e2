"""Batch analysis on Dask: many articles in, one JSON line per article out.

    from derek.batch import run_batch
    summary = run_batch(["articles/", "feed.jsonl"], out="results.jsonl", workers=2)

* `sources`  — what to analyze: files, folders, JSONL records; each gets a stable id.
* `sink`     — where results go: append-only JSONL, flushed per record, resumable.
* `work`     — what runs on a worker: the pipeline, loaded once per worker process.
* `runner`   — the Dask side: local cluster or a scheduler address, bounded submission,
               progress, errors collected and summarised.
"""
from __future__ import annotations

from derek.batch.runner import BatchSummary, run_batch

__all__ = ["BatchSummary", "run_batch"]
