"""What runs on a Dask worker: analyze a chunk of payloads, one result per article.

The pipeline is loaded once per worker process and NER choice (`derek.pipeline.shared_pipeline`),
and `PipelinePlugin` builds it (and warms it on a short text) when the worker starts, so the
first chunk does not pay the model load and timings stay even.  The NER choice travels with
the plugin and with every task: a worker never reads its environment for it.

Results are plain tuples `(id, json_line, None)` or `(id, None, error_message)`: the worker
serialises the document (spreading that cost over workers) and a failing article never
fails its chunk.
"""
from __future__ import annotations

import os
import traceback

from distributed.diagnostics.plugin import WorkerPlugin

_WARM_TEXT = "Астана. 2024 жылғы 5 наурызда Қазақстан үкіметі 12 млрд теңге бөлді.\n"
PIPELINE_LOADS = 0  # how many times this process built the pipeline (tests check it is 1)


_BUILT: set = set()  # the NER choices this process built a pipeline for


def pipeline(ner=None):
    """The worker's pipeline for the NER choice `ner`, built on first use and kept for the
    life of the process (one per choice: batches with different --ner share the workers)."""
    global PIPELINE_LOADS
    from derek.ner.choice import NerChoice
    from derek.pipeline import shared_pipeline

    ner = NerChoice.of(ner)
    if ner not in _BUILT:
        _BUILT.add(ner)
        PIPELINE_LOADS += 1
    return shared_pipeline(ner)


class PipelinePlugin(WorkerPlugin):
    """Loads the derek pipeline when a worker starts (registered by the batch client)."""

    name = "derek-pipeline"

    def __init__(self, ner=None):
        self.ner = ner  # the batch's NER choice (a NerChoice; None: the shipped ensemble)

    def setup(self, worker) -> None:  # noqa: D401 - Dask hook
        pipeline(self.ner).analyze(_WARM_TEXT)
        # the models, tables and Dask's own state live as long as the worker: move them out
        # of the cyclic collector's sight, so its full passes scan only per-article objects
        import gc

        gc.freeze()


def read_payload(payload: dict) -> tuple[str, dict]:
    """One payload -> (text, meta).  Raises InputError for unreadable content."""
    from derek.batch.sources import without_location
    from derek.io import read_bytes

    meta = dict(payload.get("meta") or {})
    if "text" in payload:
        text = payload["text"]
        if not isinstance(text, str) or not text.strip():
            from derek.io import InputError

            raise InputError("text is empty")
        return text, _with_fallback(meta, payload)
    src = without_location(read_bytes, "<input>", payload["data"], "<input>", payload.get("html"))
    for key, value in src.meta.items():
        meta.setdefault(key, value)
    return src.text, _with_fallback(meta, payload)


def _with_fallback(meta: dict, payload: dict) -> dict:
    """The batch's --published (and the like) where the input said nothing itself; of a date
    the input gives, what is sound is kept ("2024-20" -> 2024) and a non-date ("yesterday")
    is dropped, not analysed."""
    from derek.extract.date_parts import published_date

    if meta.get("published") is not None:
        try:
            meta["published"] = published_date(meta["published"], keep_known=True)
        except ValueError:
            del meta["published"]
    for key, value in (payload.get("fallback") or {}).items():
        if meta.get(key) is None:
            meta[key] = value
    return meta


def analyze_chunk(payloads: list[dict], tokens: bool = False,
                  ner=None) -> list[tuple[str, str | None, str | None]]:
    """The chunk's articles through the pipeline in batches (Pipeline.analyze_many); one
    result per payload, in order, an error message in place of a failed one.  `ner`: the
    batch's NER choice, sent with every chunk (a worker outliving its plugin, or shared with
    another batch, still tags with the model this batch asked for)."""
    from derek.batch.sink import result_line

    out: list = [None] * len(payloads)
    ready: list[tuple[int, str, dict]] = []
    for i, payload in enumerate(payloads):
        try:
            ready.append((i, *read_payload(payload)))
        except Exception as exc:  # noqa: BLE001 - one bad article must not sink the batch
            out[i] = (payload["id"], None, describe_error(exc))
    docs = pipeline(ner).analyze_many([text for _, text, _ in ready], metas=[meta for *_, meta in ready])
    for (i, _, _), doc in zip(ready, docs):
        pid = payloads[i]["id"]
        try:
            if isinstance(doc, BaseException):
                raise doc
            out[i] = (pid, result_line(pid, doc.to_dict(tokens=tokens)), None)
        except Exception as exc:  # noqa: BLE001 - reported in its place
            out[i] = (pid, None, describe_error(exc))
    return out


def describe_error(exc: BaseException) -> str:
    """One line: the InputError message, or the exception with where it was raised."""
    from derek.io import InputError

    if isinstance(exc, InputError):
        return str(exc)
    message = " ".join(str(exc).split())[:200]
    # the deepest frame inside derek names the stage at fault better than a stdlib frame
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if f"{os.sep}derek{os.sep}" in f.filename] or frames
    where = ""
    if ours:
        last = ours[-1]
        path = last.filename
        cut = path.rfind(f"{os.sep}derek{os.sep}")
        where = f" [{path[cut + 1:] if cut >= 0 else path}:{last.lineno}]"
    return f"{type(exc).__name__}: {message}{where}"
