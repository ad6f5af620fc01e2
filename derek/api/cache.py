"""A short-lived cache of read answers (search, articles, entities, timelines).

A newsroom's readers ask the same few things at once (the day's story, the top
entities); under load most of the API's time went into answering identical requests
again.  Answers are kept for `ttl` seconds (default 2) and dropped at once when this
server stores an article; a write by another process (`derek ingest`) shows after at
most `ttl` seconds.  `ttl=0` turns the cache off.  Bounded: the oldest entries go first.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Callable, Hashable


class AnswerCache:
    def __init__(self, ttl: float = 2.0, size: int = 4096):
        self.ttl = ttl
        self.size = size
        self._items: OrderedDict[Hashable, tuple[float, object]] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_make(self, key: Hashable, make: Callable[[], object]) -> object:
        if self.ttl <= 0:
            return make()
        now = time.monotonic()
        with self._lock:
            hit = self._items.get(key)
            if hit is not None and hit[0] > now:
                return hit[1]
        value = make()  # outside the lock: a slow query must not hold up the others
        with self._lock:
            self._items[key] = (now + self.ttl, value)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
