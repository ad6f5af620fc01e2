"""The ingest loop: raw articles are analysed (here or in worker processes) and stored one
by one; analysed documents are gathered into chunks and stored in one transaction each.

Outcomes are reported per item, in input order for raw articles; analysed documents are
reported when their chunk is written.  A chunk the database refuses as a whole is retried
one document at a time, so one bad document fails alone.
"""
from __future__ import annotations

import re
from collections import deque
from typing import Callable

from derek.extract.date_parts import published_date
from derek.io import InputError

RAW_BATCH = 16  # raw articles analysed together in one process (derek.analyze_many)


def _analyse(text: str, meta: dict, ner):
    """One article in an analysis process, with the NER model `ner` (a NerChoice, sent with
    the article: the process reads no environment for it)."""
    from derek.pipeline import shared_pipeline

    return shared_pipeline(ner).analyze(text, meta=meta)


def _reason(item_name: str, exc: BaseException) -> str:
    if isinstance(exc, InputError):
        msg = str(exc)
        return msg.split(": ", 1)[1] if msg.startswith(item_name + ": ") else msg
    first = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {first}"


class Runner:
    def __init__(self, store, progress: Callable | None, workers: int = 1, chunk: int = 200,
                 published: str | None = None, ner=None):
        from derek.ner.choice import NerChoice
        from derek.store.ingest import Report

        self.store = store
        self.progress = progress
        self.report = Report()
        self.chunk = max(1, chunk)
        self.published = published  # for raw articles that carry no date of their own
        self.ner = NerChoice.of(ner)  # the NER model raw articles are tagged with
        self.pending: list = []  # (item, normalised contract JSON) waiting for a bulk write
        self.window: deque = deque()  # (item, future, published, chars) of raw articles in analysis
        self.raw_batch: list = []  # (item, text, meta, published) waiting for one analyze_many call
        self.pool = None
        if workers > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            _analyse("Ресей.", {}, self.ner)  # load the pipeline once; forked workers share it
            self.pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
            self.depth = 2 * workers

    def __enter__(self) -> "Runner":
        return self

    def __exit__(self, exc_type, *_):
        try:
            if exc_type is None:
                self._drain()
                self._flush()
        finally:
            if self.pool is not None:
                self.pool.shutdown(wait=exc_type is None, cancel_futures=True)

    # -- outcomes --------------------------------------------------------------------------
    def _done(self, item, outcome: str, error: BaseException | None = None, chars: int = 0) -> None:
        if outcome == "added":
            self.report.added += 1
            self.report.chars += chars
        elif outcome == "skipped":
            self.report.skipped += 1
        else:
            self.report.failed.append((item.name, _reason(item.name, error)))
        if self.progress:
            self.progress(item, outcome)

    # -- one input -------------------------------------------------------------------------
    def take(self, item) -> None:
        if item.error:
            self._done(item, "failed", InputError(item.error))
        elif item.document is not None:
            from derek.store.ingest import document_of

            try:
                self.pending.append((item, document_of(item.document)))
            except InputError as exc:
                self._done(item, "failed", exc)
            item.document = None  # the normalised copy is what is stored; free the parsed line now
            if len(self.pending) >= self.chunk:
                self._flush()
        else:
            self._raw(item)

    def _raw(self, item) -> None:
        from derek.store.store import content_hash

        try:
            text, meta = item.load()
            if self.store.find_hash(content_hash(text)) is not None:
                self._done(item, "skipped")
                return
            # of a date the input gives, what is sound is kept ("2024-20" -> 2024) and a
            # non-date is dropped; the run's --published stands in where the input has none
            if meta.get("published") is not None:
                try:
                    meta["published"] = published_date(meta["published"], keep_known=True)
                except ValueError:
                    del meta["published"]
            if meta.get("published") is None and self.published:
                meta["published"] = self.published
            published = meta.get("published")
            if self.pool is None:
                self.raw_batch.append((item, text, meta, published))
                if len(self.raw_batch) >= RAW_BATCH:
                    self._analyse_raw_batch()
                return
            self.window.append((item, self.pool.submit(_analyse, text, meta, self.ner), published, len(text)))
        except Exception as exc:  # an input, analysis or database problem: report it, keep going
            self._done(item, "failed", exc)
            return
        while len(self.window) >= self.depth:
            self._settle_oldest()

    def _settle_oldest(self) -> None:
        item, fut, published, chars = self.window.popleft()
        try:
            doc = fut.result()
        except Exception as exc:
            self._done(item, "failed", exc)
            return
        self._store_raw(item, doc, published, chars)

    def _store_raw(self, item, doc, published, chars: int) -> None:
        try:
            added = self.store.add(doc, ext_id=item.ext_id, published=published)
        except Exception as exc:
            self._done(item, "failed", exc)
            return
        self._done(item, "added" if added.added else "skipped", chars=chars)

    def _analyse_raw_batch(self) -> None:
        """The waiting raw articles through derek.analyze_many (the NER model runs their
        sentences together), each then stored in its own transaction as before."""
        from derek.pipeline import shared_pipeline

        batch, self.raw_batch = self.raw_batch, []
        docs = shared_pipeline(self.ner).analyze_many([text for _, text, _, _ in batch],
                                                      metas=[meta for _, _, meta, _ in batch], batch_size=RAW_BATCH)
        for (item, text, _, published), doc in zip(batch, docs):
            if isinstance(doc, BaseException):
                self._done(item, "failed", doc)
            else:
                self._store_raw(item, doc, published, len(text))

    def _drain(self) -> None:
        if self.raw_batch:
            self._analyse_raw_batch()
        while self.window:
            self._settle_oldest()

    # -- analysed documents ------------------------------------------------------------------
    def _flush(self) -> None:
        if not self.pending:
            return
        batch, self.pending = self.pending, []
        try:
            results = self.store.add_many([(data, None, item.ext_id, None) for item, data in batch])
        except Exception:  # refused as a whole: find the culprit by storing one at a time
            results = []
            for item, data in batch:
                try:
                    results.extend(self.store.add_many([(data, None, item.ext_id, None)]))
                except Exception as exc:
                    results.append(exc)
        for (item, data), res in zip(batch, results):
            if isinstance(res, BaseException):
                self._done(item, "failed", res)
            else:
                self._done(item, "added" if res.added else "skipped", chars=len(data["text"]))
