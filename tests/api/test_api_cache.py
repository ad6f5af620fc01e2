"""The answer cache middleware at the ASGI level, with a fake app whose answers we hold back:
identical misses in flight share one computation (single flight), errors are not shared,
and at most `compute_slots` answers are computed at once."""
from __future__ import annotations

import asyncio

from derek.api.cache import AnswerCache, CachedReads


class HeldApp:
    """An ASGI app that answers each request when `release` is set; counts its calls and
    the most it ran at once.  /missing answers 404."""

    def __init__(self):
        self.calls: list[str] = []
        self.running = self.most = 0
        self.release = asyncio.Event()

    async def __call__(self, scope, receive, send):
        self.calls.append(scope["path"])
        number = len(self.calls)
        self.running += 1
        self.most = max(self.most, self.running)
        try:
            await self.release.wait()
        finally:
            self.running -= 1
        status = 404 if scope["path"] == "/missing" else 200
        body = f"{scope['path']}#{number}".encode()
        await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": body})


async def ask(mw, path: str) -> tuple[int, bytes]:
    scope = {"type": "http", "method": "GET", "path": path, "query_string": b""}
    out: dict = {}

    async def receive():
        return {"type": "http.request"}

    async def send(message):
        if message["type"] == "http.response.start":
            out["status"] = message["status"]
        else:
            out["body"] = message["body"]

    await mw(scope, receive, send)
    return out["status"], out["body"]


def run_held(mw, app, paths, settle: int = 5):
    async def main():
        tasks = [asyncio.create_task(ask(mw, p)) for p in paths]
        for _ in range(settle):  # let every request reach the cache or the app
            await asyncio.sleep(0)
        seen = list(app.calls)
        app.release.set()
        return seen, await asyncio.gather(*tasks)

    return asyncio.run(main())


def test_identical_misses_in_flight_are_computed_once():
    app = HeldApp()
    mw = CachedReads(app, AnswerCache(ttl=60), compute_slots=0)
    seen, answers = run_held(mw, app, ["/search"] * 20)
    assert seen == ["/search"] and app.calls == ["/search"]
    assert answers == [(200, b"/search#1")] * 20
    # and the answer is now cached: no further computation
    assert asyncio.run(ask(mw, "/search")) == (200, b"/search#1") and len(app.calls) == 1


def test_errors_are_not_shared_each_waiter_asks_again():
    app = HeldApp()
    mw = CachedReads(app, AnswerCache(ttl=60), compute_slots=0)
    _seen, answers = run_held(mw, app, ["/missing"] * 3)
    assert [status for status, _ in answers] == [404] * 3
    assert len(app.calls) == 3  # one in flight, then each waiter computed its own 404
    assert mw._inflight == {}


def test_different_versions_do_not_share_a_flight():
    version = iter(range(100))
    app = HeldApp()
    mw = CachedReads(app, AnswerCache(ttl=60, version=lambda: next(version)), compute_slots=0)
    _seen, answers = run_held(mw, app, ["/search"] * 3)
    assert len(app.calls) == 3 and len({body for _, body in answers}) == 3


def test_at_most_compute_slots_answers_run_at_once():
    app = HeldApp()
    mw = CachedReads(app, AnswerCache(ttl=60), compute_slots=2)
    paths = [f"/search/{i}" for i in range(6)] + ["/search/0"] * 4
    seen, answers = run_held(mw, app, paths, settle=20)
    assert len(seen) == 2  # the others waited for a slot
    assert app.most == 2 and len(app.calls) == 6  # each distinct answer computed once
    assert sorted({body.split(b"#")[0] for _, body in answers}) == sorted({p.encode() for p in paths})
    assert mw._inflight == {}


def test_a_waiter_that_goes_away_does_not_cancel_the_shared_answer():
    app = HeldApp()
    mw = CachedReads(app, AnswerCache(ttl=60), compute_slots=0)

    async def main():
        first = asyncio.create_task(ask(mw, "/search"))
        await asyncio.sleep(0)
        waiter = asyncio.create_task(ask(mw, "/search"))
        await asyncio.sleep(0)
        waiter.cancel()  # the client disconnected
        await asyncio.sleep(0)
        app.release.set()
        return await first

    assert asyncio.run(main()) == (200, b"/search#1")


# -- ComputeSlots: the limiter in front of the computations --------------------------------

def holding(slots, log: list[str]):
    """A coroutine function that takes a slot, records its name and leaves."""
    async def holder(name: str) -> None:
        async with slots:
            log.append(name)

    return holder


async def hold_and_queue(slots, *names: str) -> tuple[list[str], list[asyncio.Task]]:
    """Take the slot, then start one recording holder per name and let each queue."""
    log: list[str] = []
    await slots.__aenter__()
    tasks = []
    for name in names:
        tasks.append(asyncio.create_task(holding(slots, log)(name)))
        await asyncio.sleep(0)
    return log, tasks


def convoy_order(slots) -> list[str]:
    """Hold the one slot, let a waiter queue, release it, and at once (same loop turn)
    enter and leave with a quick holder; the order the holders got the slot."""
    async def main():
        order: list[str] = []
        await slots.__aenter__()
        order.append("first")
        task = asyncio.create_task(holding(slots, order)("waiter"))
        await asyncio.sleep(0)  # the waiter queues: the slot is held
        await slots.__aexit__(None, None, None)  # released: the waiter is woken, not yet run
        async with slots:  # no await in between: the slot is free right now
            order.append("quick")
        await task
        return order

    return asyncio.run(main())


def test_a_free_slot_is_taken_at_once_even_while_others_wait():
    """The convoy asyncio.Semaphore forms: a released slot goes to a waiter that runs a loop
    turn later, and an arrival in between queues although the slot is free.  ComputeSlots
    lets the quick holder through; the woken waiter then still gets the slot."""
    from derek.api.cache import ComputeSlots

    slots = ComputeSlots(1)
    assert convoy_order(slots) == ["first", "quick", "waiter"] and slots.free == 1


def test_semaphore_convoy_that_compute_slots_avoid():
    """The same sequence on asyncio.Semaphore: the quick holder queues behind the woken
    waiter (documents why ComputeSlots exists; fails if asyncio changes that)."""
    assert convoy_order(asyncio.Semaphore(1)) == ["first", "waiter", "quick"]


def test_compute_slots_bound_holders_and_keep_waiters_in_order():
    from derek.api.cache import ComputeSlots

    async def main():
        slots = ComputeSlots(2)
        running = most = 0
        order: list[int] = []

        async def job(i):
            nonlocal running, most
            async with slots:
                running += 1
                most = max(most, running)
                order.append(i)
                for _ in range(3):
                    await asyncio.sleep(0)
                running -= 1

        await asyncio.gather(*(job(i) for i in range(10)))
        return most, order, slots.free

    most, order, free = asyncio.run(main())
    assert most == 2 and order == list(range(10)) and free == 2


def test_a_cancelled_waiter_passes_its_turn_on():
    """A waiter woken for a released slot but cancelled before it runs (its client went
    away) must hand the turn to the next waiter, or that one would wait forever."""
    from derek.api.cache import ComputeSlots

    async def main():
        slots = ComputeSlots(1)
        done, (gone, after) = await hold_and_queue(slots, "gone", "after")
        await slots.__aexit__(None, None, None)  # wakes "gone"...
        gone.cancel()  # ...which is cancelled before it runs
        await asyncio.wait_for(after, 5)
        return done, slots.free, gone.cancelled()

    done, free, cancelled = asyncio.run(main())
    assert done == ["after"] and free == 1 and cancelled


def test_a_woken_waiter_that_finds_the_slot_taken_keeps_its_place():
    from derek.api.cache import ComputeSlots

    async def main():
        slots = ComputeSlots(1)
        order, (first, second) = await hold_and_queue(slots, "first-waiter", "second-waiter")
        await slots.__aexit__(None, None, None)  # wakes first-waiter...
        await slots.__aenter__()  # ...but this arrival takes the free slot first
        order.append("arrival")
        for _ in range(3):  # first-waiter runs, finds no slot, queues again
            await asyncio.sleep(0)
        await slots.__aexit__(None, None, None)
        await asyncio.gather(first, second)
        return order

    assert asyncio.run(main()) == ["arrival", "first-waiter", "second-waiter"]


# -- ComputeSlots under a standing queue: adaptive LIFO --------------------------------------

async def queue_then_release(slots, names, wait: float, bumped=None) -> list[str]:
    """Hold the one slot, queue a recording holder per name (held tickets: the names), wait
    `wait` seconds, optionally bump one ticket, release; the order the holders ran."""
    order: list[str] = []
    await slots.acquire()

    async def holder(name):
        async with slots.held(name):
            order.append(name)

    tasks = []
    for name in names:
        tasks.append(asyncio.create_task(holder(name)))
        await asyncio.sleep(0.002)  # distinct queueing times
    await asyncio.sleep(wait)
    if bumped:
        slots.bump(bumped)
    slots.release()
    await asyncio.gather(*tasks)
    return order


def test_a_young_queue_is_served_in_order():
    from derek.api.cache import ComputeSlots

    slots = ComputeSlots(1, lifo_after=5.0)
    assert asyncio.run(queue_then_release(slots, ["a", "b", "c"], 0.0)) == ["a", "b", "c"]


def test_a_standing_queue_serves_the_newest_first():
    """Once the oldest waiter has waited lifo_after, each released slot goes to the newest:
    on a cold server that keeps most asks fast while the backlog drains."""
    from derek.api.cache import ComputeSlots

    slots = ComputeSlots(1, lifo_after=0.02, max_wait=5.0)
    assert asyncio.run(queue_then_release(slots, ["a", "b", "c"], 0.05)) == ["c", "b", "a"]


def test_a_computation_asked_again_goes_first_in_a_standing_queue():
    from derek.api.cache import ComputeSlots

    slots = ComputeSlots(1, lifo_after=0.02, max_wait=5.0)
    assert asyncio.run(queue_then_release(slots, ["a", "b", "c"], 0.05, bumped="a")) == ["a", "c", "b"]
    # bumping what is not queued (computing, or done) changes nothing
    slots.bump("a")
    assert slots.free == 1 and not slots._by_ticket


def test_nobody_waits_past_max_wait():
    """A waiter older than max_wait is served first even in a standing queue: the newest-
    first order never starves anyone for longer."""
    from derek.api.cache import ComputeSlots

    slots = ComputeSlots(1, lifo_after=0.01, max_wait=0.05)
    assert asyncio.run(queue_then_release(slots, ["a", "b", "c"], 0.08)) == ["a", "b", "c"]


def test_cached_reads_bump_a_computation_waiting_for_its_slot():
    """A second ask of an answer whose computation still waits for a slot demands it
    again (CachedReads -> ComputeSlots.bump)."""
    from derek.api.cache import ComputeSlots

    bumped = []

    class Recording(ComputeSlots):
        def bump(self, ticket):
            bumped.append(ticket)
            super().bump(ticket)

    app = HeldApp()
    mw = CachedReads(app, AnswerCache(ttl=60), compute_slots=1)
    mw._slots = Recording(1)

    async def main():
        first = asyncio.create_task(ask(mw, "/search?q=a"))
        await asyncio.sleep(0)
        second = asyncio.create_task(ask(mw, "/search?q=b"))  # queues for the one slot
        await asyncio.sleep(0)
        third = asyncio.create_task(ask(mw, "/search?q=b"))  # joins b's flight
        for _ in range(5):
            await asyncio.sleep(0)
        waiting = [e[3] for e in mw._slots._waiters]
        app.release.set()
        await asyncio.gather(first, second, third)
        return waiting

    waiting = asyncio.run(main())
    assert len(bumped) == 1 and waiting == bumped
