"""Drive a batch: enumerate inputs, skip finished ids, farm chunks out to Dask, write results.

Dask is used through `distributed` futures rather than dask.bag so that submission is
bounded (a few chunks per worker in flight, whatever the input size), results are written
the moment they arrive, and a chunk whose worker dies can be retried article by article
to isolate the article that killed it.  `workers=0` runs everything in this process (no
Dask): handy for debugging, and the same code path for writing and resuming.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from derek.batch.sink import JsonlSink
from derek.batch.sources import Ref, enumerate_inputs, load
from derek.io import InputError

CHUNK_BYTES = 4_000_000  # cap on the article bytes in one task, whatever chunk_size says


@dataclass
class BatchSummary:
    found: int = 0  # documents found in the inputs (after removing duplicate ids)
    skipped: int = 0  # already in the output from an earlier run
    duplicates: int = 0  # same id seen twice in the inputs; only the first is analyzed
    done: int = 0  # analyzed and written in this run
    failed: list[tuple[str, str]] = field(default_factory=list)  # (id, one-line reason)
    workers: int = 0
    seconds: float = 0.0  # wall time of the analysis phase (cluster start excluded)
    repaired_bytes: int = 0  # torn last line cut from the output on open
    interrupted: bool = False

    @property
    def rate(self) -> float:
        return self.done / self.seconds if self.seconds > 0 else 0.0

    def line(self) -> str:
        parts = [f"{self.done} analyzed", f"{self.skipped} already done", f"{len(self.failed)} failed"]
        if self.duplicates:
            parts.append(f"{self.duplicates} duplicate ids ignored")
        head = "interrupted: " if self.interrupted else ""
        return (f"{head}{', '.join(parts)} — {self.rate:.1f} articles/s on "
                f"{self.workers or 'no'} worker{'s' if self.workers != 1 else ''} ({self.seconds:.1f} s)")


def run_batch(
    inputs: Iterable[str | os.PathLike],
    out: str | os.PathLike | None = None,
    *,
    sink=None,
    workers: int | None = None,
    scheduler: str | None = None,
    chunk_size: int = 32,
    tokens: bool = False,
    progress: bool = False,
    on_error: Callable[[str, str], None] | None = None,
    ner=None,
    published: str | None = None,
) -> BatchSummary:
    """Analyze every document under `inputs` and append results to `out` (JSONL) or `sink`.

    `workers`: local Dask worker processes (default: one per core), 0 = in this process.
    `scheduler`: address of a running Dask scheduler (tcp://host:8786) instead.
    `on_error(id, reason)` is called for each failed article as it fails.
    `ner`: the NER model every worker tags with: "ensemble" (the default), "crf", a model
    directory (at the same path on every worker) or a derek.ner.choice.NerChoice; sent with
    the work, the workers' environment is not read.
    `published`: the publication date of inputs that carry none of their own (a record's
    "published", the HTML page's date)."""
    if (out is None) == (sink is None):
        raise ValueError("give exactly one of out= or sink=")
    from derek.ner.choice import NerChoice

    ner = NerChoice.of(ner)  # an unknown engine: an error before anything starts
    summary = BatchSummary()
    refs = list(enumerate_inputs(inputs, exclude=[os.fspath(out)] if out is not None else ()))  # InputError here: a bad argument, nothing started
    own_sink = sink is None
    sink = JsonlSink(out) if own_sink else sink
    try:
        summary.repaired_bytes = getattr(sink, "repaired_bytes", 0)
        todo = _plan(refs, sink.done_ids, summary, on_error)
        if todo:
            _execute(todo, sink, summary, workers, scheduler, chunk_size, tokens, ner, progress, on_error,
                     {"published": published} if published else {})
    finally:
        if own_sink:
            sink.close()
    return summary


def _plan(refs: list[Ref], done_ids: set[str], summary: BatchSummary, on_error) -> list[Ref]:
    seen: set[str] = set()
    todo = []
    for ref in refs:
        if ref.id in seen:
            summary.duplicates += 1
            continue
        seen.add(ref.id)
        summary.found += 1
        if ref.id in done_ids:
            summary.skipped += 1
        elif ref.error:
            _fail(summary, on_error, ref.id, ref.error)
        else:
            todo.append(ref)
    return todo


def _fail(summary: BatchSummary, on_error, rid: str, reason: str) -> None:
    summary.failed.append((rid, reason))
    if on_error:
        on_error(rid, reason)


def _chunks(todo: list[Ref], size: int, summary: BatchSummary, on_error, bar,
            fallback: dict | None = None) -> Iterator[list[dict]]:
    """Payload chunks, read lazily right before submission; unreadable inputs fail here.
    `fallback`: meta for what an input does not say itself (work.read_payload applies it)."""
    chunk, nbytes = [], 0
    for ref in todo:
        try:
            payload = load(ref)
        except InputError as exc:
            _fail(summary, on_error, ref.id, str(exc))
            bar.advance()
            continue
        except OSError as exc:
            _fail(summary, on_error, ref.id, f"{ref.path}: cannot read ({exc.strerror or exc})")
            bar.advance()
            continue
        if fallback:
            payload["fallback"] = fallback
        chunk.append(payload)
        nbytes += len(payload.get("text") or payload.get("data") or "")
        if len(chunk) >= size or nbytes >= CHUNK_BYTES:
            yield chunk
            chunk, nbytes = [], 0
    if chunk:
        yield chunk


def _execute(todo, sink, summary, workers, scheduler, chunk_size, tokens, ner, progress, on_error,
             fallback: dict | None = None) -> None:
    from derek.batch.progress import Bar

    with Bar(len(todo), enabled=progress) as bar:
        def handle(results) -> None:
            for rid, line, error in results:
                if error is None:
                    sink.write(rid, line)
                    summary.done += 1
                else:
                    _fail(summary, on_error, rid, error)
                bar.advance()

        chunks = _chunks(todo, max(1, chunk_size), summary, on_error, bar, fallback)
        try:
            if workers == 0 and not scheduler:
                from derek.batch.work import analyze_chunk

                summary.workers = 0
                t0 = time.perf_counter()
                try:
                    for chunk in chunks:
                        handle(analyze_chunk(chunk, tokens, ner))
                finally:
                    summary.seconds = time.perf_counter() - t0
            else:
                _on_dask(chunks, handle, summary, workers, scheduler, tokens, ner, bar, on_error)
        except KeyboardInterrupt:
            summary.interrupted = True


def _on_dask(chunks, handle, summary, workers, scheduler, tokens, ner, bar, on_error) -> None:
    from distributed import as_completed
    from distributed.scheduler import KilledWorker

    from derek.batch.cluster import connect
    from derek.batch.work import PipelinePlugin, analyze_chunk

    with connect(workers, scheduler) as client:
        client.register_plugin(PipelinePlugin(ner), name=PipelinePlugin.name)
        summary.workers = len(client.scheduler_info(n_workers=-1)["workers"])
        bar.workers(summary.workers)
        max_inflight = 3 * max(1, summary.workers) + 1
        inflight: dict[str, tuple[object, list[dict]]] = {}
        pending = as_completed(loop=client.loop)

        def submit(chunk: list[dict]) -> None:
            fut = client.submit(analyze_chunk, chunk, tokens, ner, pure=False)
            inflight[fut.key] = (fut, chunk)
            pending.add(fut)

        def fill() -> None:
            while len(inflight) < max_inflight:
                chunk = next(chunks, None)
                if chunk is None:
                    return
                submit(chunk)

        t0 = time.perf_counter()
        try:
            fill()
            for fut in pending:
                _, chunk = inflight.pop(fut.key)
                results = _outcome(fut, chunk, submit, KilledWorker)
                fut.release()
                if results:
                    handle(results)
                fill()
        finally:
            summary.seconds = time.perf_counter() - t0
            for fut, _ in inflight.values():
                fut.cancel()


def _outcome(fut, chunk: list[dict], submit, killed_worker) -> list | None:
    """The chunk's results; per-article failures if the task failed; None if retried."""
    try:
        return fut.result()
    except killed_worker:
        # a worker died on this chunk (crash, out of memory): retry its articles one by
        # one so that only the article that kills workers is lost
        if len(chunk) > 1:
            for payload in chunk:
                submit([payload])
            return None
        return [(chunk[0]["id"], None, "a worker died analyzing this article (crash or out of memory)")]
    except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot travel back
        reason = f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}"
        return [(p["id"], None, reason) for p in chunk]
