"""`derek watch`: news brought in from outlets' feeds and sitemaps (docs/watch.md).

    >>> from derek.store import Store
    >>> from derek.watch import Fetcher, Watcher
    >>> with Store("news.sqlite") as store:
    ...     report = Watcher(store, ["https://outlet.kz/rss"], Fetcher()).cycle()
"""
from derek.watch.fetch import Fetcher, FetchError
from derek.watch.run import CycleReport, Watcher

__all__ = ["Fetcher", "FetchError", "Watcher", "CycleReport"]
