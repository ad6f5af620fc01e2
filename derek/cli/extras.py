"""Which optional part of derek (an install extra, pyproject.toml) a missing module belongs to.

The core install (`pip install derek`) runs `derek analyze`, `derek check` and the library; the
store, the API, Dask batches and the watcher are extras.  A command that needs one that is not
installed stops with one line naming what to install (exit 2), never a traceback.
"""
from __future__ import annotations

# top-level module -> the extra that installs it
EXTRA_OF_MODULE = {
    "sqlalchemy": "store",
    "alembic": "store",
    "psycopg": "store",
    "fastapi": "api",
    "starlette": "api",
    "uvicorn": "api",
    "multipart": "api",
    "python_multipart": "api",
    "dask": "batch",
    "distributed": "batch",
    "protego": "watch",
    "pycrfsuite": "crf",
    "torch": "train",
}


# the extras that install other extras too (pyproject.toml: api and watch need the store,
# train the crf)
INCLUDES = {"api": {"store"}, "watch": {"store"}, "train": {"crf"}}
# the extra each command is for: the one to name when what is missing is part of it
EXTRA_OF_COMMAND = {"serve": "api", "watch": "watch", "batch": "batch", "ingest": "store",
                    "search": "store", "facts": "store", "entities": "store", "train": "train"}


def missing_extra(exc: BaseException, command: str | None = None) -> str | None:
    """The one-line message for an ImportError of a module an extra installs (else None):
    the extra of `command` when it installs that module (`derek watch` names [watch], not only
    the [store] it includes), else the module's own extra."""
    if not isinstance(exc, ImportError) or not getattr(exc, "name", None):
        return None
    top = exc.name.split(".")[0]
    extra = EXTRA_OF_MODULE.get(top)
    if extra is None:
        return None
    wanted = EXTRA_OF_COMMAND.get(command or "")
    if wanted and extra in {wanted} | INCLUDES.get(wanted, set()):
        extra = wanted
    return f"{top}, which is not installed: pip install 'derek[{extra}]'"
