"""`derek serve --workers N`: uvicorn's worker processes, each building the app from settings
it is handed explicitly.

uvicorn starts each worker process with its `Config` object (pickled); `WorkerConfig` carries
the app's settings (store URL, token, limits, the NER model) in it and builds the app from
them in the worker.  Nothing travels in the environment.
"""
from __future__ import annotations

import functools
import inspect
from typing import Any

import uvicorn


class WorkerConfig(uvicorn.Config):
    def __init__(self, app_settings: dict[str, Any], **kwargs: Any):
        super().__init__("derek.api.app:create_app", factory=True, **kwargs)
        self.app_settings = dict(app_settings)

    def load(self) -> None:
        # runs in each worker process: the app factory with the settings this object carried
        self.app = functools.partial(worker_app, **self.app_settings)
        super().load()


def worker_app(**settings: Any):
    """One worker's app (derek.api.app.create_app's arguments), its lazy tables loaded first."""
    from derek.api.app import create_app, preload

    preload()
    return create_app(**settings)


def serve_workers(app_settings: dict[str, Any], *, workers: int, host: str, port: int,
                  log_level: str = "warning") -> None:
    """Serve the app in `workers` processes sharing one listening socket (uvicorn's supervisor)."""
    from uvicorn.supervisors import Multiprocess

    config = WorkerConfig(app_settings, workers=workers, host=host, port=port, log_level=log_level)
    sock = config.bind_socket()
    if "target" in inspect.signature(Multiprocess).parameters:  # uvicorn < 0.50 wants the server's run
        Multiprocess(config, target=uvicorn.Server(config).run, sockets=[sock]).run()
    else:
        Multiprocess(config, sockets=[sock]).run()
