"""derek's HTTP API and web page: `create_app(store=..., token=...)` (FastAPI)."""
from derek.api.app import create_app

__all__ = ["create_app"]
