"""A cache of read answers (search, articles, entities, timelines), in front of the app as
ASGI middleware: a hit is answered before routing, validation and the thread pool (~30 µs
instead of ~1 ms of framework work, plus the query).

A newsroom's readers ask the same few things at once (the day's story, the top entities);
under load most of the API's time went into answering identical requests again.

Freshness.  For a SQLite store, an answer is reused only while the store file is unchanged:
`StoreVersion` reads SQLite's `PRAGMA data_version` on a private read-only connection, which
changes when any connection, in any process, commits (`derek ingest` beside the server,
another `--workers` process).  So a cached answer is never staler than the store, and it can
live long (`ttl`, default 300 s, only bounds memory churn).  Stores that cannot tell
(PostgreSQL, in-memory SQLite) keep answers `ttl` seconds (default 2), after which a write by
another process shows.  A write through this server (POST /articles) clears the cache at
once.  `ttl=0` turns the cache off.  Bounded: the least recently used entries go first.
"""
from __future__ import annotations

import asyncio
import collections
import sqlite3
import threading
import time
from collections import OrderedDict
from typing import Callable, Hashable, Optional

# seconds an answer may be reused when the store reports its changes / when it cannot
TTL_WATCHED = 300.0
TTL_BLIND = 2.0


class StoreVersion:
    """A number that changes whenever the SQLite file's content changes (any writer)."""

    def __init__(self, path: str):
        # read-only and never writing: every commit is "another connection's", which is
        # exactly what data_version counts
        self._con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        self()  # fail now (unreadable file) rather than on the first request

    def __call__(self) -> int:
        with self._lock:
            return self._con.execute("PRAGMA data_version").fetchone()[0]

    @classmethod
    def of(cls, store_url: str) -> Optional["StoreVersion"]:
        """The watcher for a store URL, or None when it cannot have one (not a SQLite file)."""
        from sqlalchemy.engine import make_url

        url = make_url(store_url)
        if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
            return None
        try:
            return cls(url.database)
        except sqlite3.Error:
            return None


class AnswerCache:
    def __init__(self, ttl: float = TTL_BLIND, size: int = 4096,
                 version: Optional[Callable[[], Hashable]] = None):
        self.ttl = ttl
        self.size = size
        self.version = version or (lambda: None)
        self._items: OrderedDict[Hashable, tuple[Hashable, float, object]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, version: Hashable = None):
        """The answer stored for `key` while the store was at `version` and within its ttl."""
        now = time.monotonic()
        with self._lock:
            hit = self._items.get(key)
            if hit is None or hit[0] != version or hit[1] <= now:
                return None
            # least recently USED goes first: a flood of one-off reads (random article ids)
            # must not push out the popular searches answered a moment ago
            self._items.move_to_end(key)
        return hit[2]

    def put(self, key: Hashable, value: object, version: Hashable = None) -> None:
        """Store an answer computed from the store at `version` (read BEFORE computing it:
        a write that lands meanwhile then makes the entry stale, never the answer wrong)."""
        with self._lock:
            self._items[key] = (version, time.monotonic() + self.ttl, value)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


# answers computed at once (see CachedReads); cold server, 100k store, 10k requests at
# concurrency 50: median latency 28 -> 8 ms with 4 (2: 5 ms), p99 not measurably changed
COMPUTE_SLOTS = 4


# a slot queue whose oldest waiter has waited this long is a standing queue (a cold server's
# burst of first asks): from then on the newest waiter is served first (ComputeSlots) ...
LIFO_AFTER = 0.05
# ... unless one has waited this long: under a lasting overload nobody waits without bound
MAX_WAIT = 2.0


class ComputeSlots:
    """At most `n` holders at once; a free slot is taken at once, even while others wait.

    asyncio.Semaphore hands a released slot to its oldest waiter, which only runs on a
    later turn of the event loop, and meanwhile every new arrival queues behind it.  Most
    misses (an article read by id, ~1 ms) take their slot and give it back within one
    turn, so after a burst of first asks the queue never drained: each release admitted
    one waiter per turn, and for the rest of a cold-server run article reads waited
    ~40 ms for slots that were mostly free (bench/api_load.py: their p50 40 -> 13 ms,
    overall p95 52 -> 25 ms).  Waiters are ordered by when they first queued: one that is
    woken but finds the slot taken goes back to its place.

    Adaptive LIFO.  While the queue is young (its oldest waiter has waited less than
    `lifo_after` seconds) a released slot goes to the oldest waiter.  A queue older than
    that is standing: the server has more to compute than it can, and serving it in order
    makes every waiter wait about as long as the whole backlog takes, so that on a cold
    server nearly every ask made in the first second was slow.  Then the most recently
    demanded waiter goes first (`bump`: an ask that joins a computation still waiting for
    its slot demands it again): the others wait longer, but they are few (each client waits
    on one request at a time), and requests keep being answered at the rate they were
    asked (the "adaptive LIFO" of Maurer, "Fail at scale", ACM Queue 13(8), 2015).  The
    cost is the slowest answers' latency during such a burst (docs/api.md); a waiter that
    has waited `max_wait` seconds goes first whatever the order, so that cost is bounded.
    `lifo_after=None`: always in order."""

    def __init__(self, n: int, lifo_after: float | None = LIFO_AFTER, max_wait: float = MAX_WAIT):
        if n < 1:
            raise ValueError("compute slots must be >= 1")
        self.free = n
        self.lifo_after = lifo_after
        self.max_wait = max_wait
        # [first queued, last demanded, future, ticket], in the order they first queued
        self._waiters: collections.deque[list] = collections.deque()
        self._by_ticket: dict[Hashable, list] = {}

    async def __aenter__(self) -> None:
        await self.acquire()

    async def __aexit__(self, *exc) -> None:
        self.release()

    def held(self, ticket: Hashable) -> "_Held":
        """`async with slots.held(ticket)`: a slot for a computation that `bump(ticket)` can
        demand again while it waits."""
        return _Held(self, ticket)

    async def acquire(self, ticket: Hashable = None) -> None:
        since = None
        while self.free <= 0:
            fut = asyncio.get_running_loop().create_future()
            now = time.monotonic()
            since = now if since is None else since
            self._queue([since, now, fut, ticket])
            try:
                await fut
            except asyncio.CancelledError:
                if fut.done() and not fut.cancelled():  # woken, then cancelled: pass the turn on
                    self._wake()
                raise
        self.free -= 1

    def release(self) -> None:
        self.free += 1
        self._wake()

    def bump(self, ticket: Hashable) -> None:
        """Another ask wants the computation queued under `ticket`: in a standing queue it
        is served before the ones asked for less recently."""
        entry = self._by_ticket.get(ticket)
        if entry is not None:
            entry[1] = time.monotonic()

    def _queue(self, entry: list) -> None:
        waiters = self._waiters
        i = len(waiters)
        while i and waiters[i - 1][0] > entry[0]:  # a woken waiter beaten to the slot: back to its place
            i -= 1
        waiters.insert(i, entry)
        if entry[3] is not None:
            self._by_ticket[entry[3]] = entry

    def _wake(self) -> None:
        waiters = self._waiters
        while waiters:
            waited = time.monotonic() - waiters[0][0]  # the oldest waiter's wait
            if self.lifo_after is not None and self.lifo_after < waited < self.max_wait:
                # standing: the most recently demanded (the newest on a tie)
                i, entry = max(enumerate(waiters), key=lambda item: (item[1][1], item[0]))
                del waiters[i]
            else:
                entry = waiters.popleft()
            if entry[3] is not None:
                self._by_ticket.pop(entry[3], None)
            fut = entry[2]
            if not fut.done():  # cancelled waiters are skipped
                fut.set_result(None)
                return


class _Held:
    def __init__(self, slots: ComputeSlots, ticket: Hashable):
        self.slots, self.ticket = slots, ticket

    async def __aenter__(self) -> None:
        await self.slots.acquire(self.ticket)

    async def __aexit__(self, *exc) -> None:
        self.slots.release()


# read endpoints whose 200 answers depend only on the path, the query string and the store
CACHEABLE = ("/health", "/search", "/articles/", "/entities", "/indicators/")


class CachedReads:
    """ASGI middleware: GET answers of CACHEABLE paths are replayed while the store is
    unchanged and for at most `cache.ttl` seconds; a successful POST /articles (a write
    through this server) clears them.

    Single flight: a request that misses while the same answer (same path, query string
    and store version) is being computed waits for that computation instead of starting
    its own.  A just-started server is asked each popular search many times before the
    first answer exists; without this every one of those asks ran the query again, and
    the copies, competing for the GIL and the disk, made each other and every cached
    answer behind them slow (bench/api_load.py, cold server).

    At most `compute_slots` answers are computed at once (ComputeSlots); the other misses
    wait their turn on the event loop (oldest first, or newest first while the queue
    stands).  Each computation runs Python under the GIL, and with the thread pool's 40
    threads all busy the event loop got the GIL one turn in 40: cached answers, which need
    ~30 µs of it, then took tens of milliseconds."""

    def __init__(self, app, cache: AnswerCache, compute_slots: int = COMPUTE_SLOTS):
        self.app = app
        self.cache = cache
        # (key, version) -> future of (headers, body), or of None when the answer was not a 200
        self._inflight: dict[tuple, asyncio.Future] = {}
        self._slots = ComputeSlots(compute_slots) if compute_slots else None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or self.cache.ttl <= 0:
            return await self.app(scope, receive, send)
        method, path = scope["method"], scope["path"]
        if method == "POST" and path.rstrip("/") == "/articles":
            async def clearing_send(message):
                if message["type"] == "http.response.start" and message["status"] in (200, 201):
                    self.cache.clear()
                await send(message)

            return await self.app(scope, receive, clearing_send)
        if method != "GET" or not path.startswith(CACHEABLE):
            return await self.app(scope, receive, send)
        key = (path, scope.get("query_string", b""))
        version = self.cache.version()
        hit = self.cache.get(key, version)
        if hit is None and (key, version) in self._inflight:
            flight = self._inflight[(key, version)]
            if self._slots is not None:
                self._slots.bump(flight)  # asked again while it may still wait for a slot
            # asyncio.shield: a waiter that disconnects must not cancel the shared computation
            hit = await asyncio.shield(flight)
        if hit is not None:
            headers, body = hit
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        # not a 200 (an error, a 404) is not shared: each waiter asks again, as without the cache
        flight = self._inflight[(key, version)] = asyncio.get_running_loop().create_future()
        try:
            if self._slots is None:
                await self._compute(scope, receive, send, key, version, flight)
            else:
                async with self._slots.held(flight):
                    await self._compute(scope, receive, send, key, version, flight)
        finally:
            if not flight.done():
                flight.set_result(None)
            if self._inflight.get((key, version)) is flight:  # a waiter may have started a new one
                del self._inflight[(key, version)]

    async def _compute(self, scope, receive, send, key, version, flight: asyncio.Future) -> None:
        start: dict = {}
        chunks: list[bytes] = []

        async def capturing_send(message):
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body") and start.get("status") == 200:
                    answer = (list(start.get("headers") or []), b"".join(chunks))
                    self.cache.put(key, answer, version)
                    flight.set_result(answer)  # the waiters answer before this client's own send
            await send(message)

        await self.app(scope, receive, capturing_send)
