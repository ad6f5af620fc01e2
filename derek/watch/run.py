"""One cycle of `derek watch`: read every source, fetch the pages not seen before, and
store the new articles.

A cycle, in order:
1. Each source URL (feed, sitemap or an outlet's page) is fetched, conditionally when its
   last answer had validators, and read for links (derek.watch.discover); the sitemaps of a
   sitemap index and the feeds a page links to are read too (up to MAX_NESTED a source).
2. Links already settled (derek.watch.state) are dropped without a request.
3. The others are fetched host by host in turn (each host's pause runs while another host
   is asked), at most `max_pages` a cycle; the rest wait for the next cycle.  A host that
   times out is slow: its other pages wait for the next cycle too.
4. A page's article is extracted by trafilatura (derek.io: text, headline, author, the
   page's date) and, unless the same text is stored already, analysed and stored with its
   URL (meta.source; the outlet is the URL's host) and date (meta.published, checked).
Every problem is reported (`on_problem(url, reason)`) and the page or source skipped.
"""
from __future__ import annotations

import time
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from typing import Callable

from derek.watch.discover import Listing, NotAFeed, read_listing
from derek.watch.fetch import Fetcher, FetchError, host_of
from derek.watch.state import MAX_ATTEMPTS, WatchState

MAX_NESTED = 20  # sitemaps of an index, feeds of a page, read for one source in a cycle
HTML_TYPES = ("text/html", "application/xhtml+xml", "")


@dataclass
class CycleReport:
    number: int
    sources: int = 0
    sources_failed: int = 0
    links: int = 0  # distinct article links the sources list
    stored: int = 0  # new articles
    known: int = 0  # the text was stored already (another URL, or an earlier run)
    seen: int = 0  # settled before this cycle: not fetched
    no_article: int = 0
    failed: int = 0
    waiting: int = 0  # left for the next cycle (page limit, a slow host)
    seconds: float = 0.0
    problems: list[tuple[str, str]] = field(default_factory=list)

    def line(self) -> str:
        src = f"{self.sources} source{'s' * (self.sources != 1)}"
        if self.sources_failed:
            src += f" ({self.sources_failed} unreadable)"
        parts = [f"{self.stored} new", f"{self.known} already stored", f"{self.seen} seen before"]
        parts += [f"{n} {what}" for n, what in ((self.no_article, "without an article"), (self.failed, "failed"),
                                                (self.waiting, "left for the next cycle")) if n]
        return f"{src}, {self.links} links: " + ", ".join(parts) + f"; {self.seconds:.1f} s"


class Watcher:
    def __init__(self, store, sources: list[str], fetcher: Fetcher, *, max_pages: int = 200,
                 on_problem: Callable[[str, str], None] | None = None, analyse=None):
        self.store, self.sources, self.fetcher = store, list(dict.fromkeys(sources)), fetcher
        self.max_pages = max_pages
        self.on_problem = on_problem or (lambda url, why: None)
        self.state = WatchState(store)
        self.analyse = analyse
        self.cycles = 0

    # -- a cycle --------------------------------------------------------------------------------
    def cycle(self) -> CycleReport:
        self.cycles += 1
        report = CycleReport(self.cycles)
        t0 = time.monotonic()
        listed: dict[str, list[str]] = OrderedDict()  # link -> the sources that list it
        for source in self.sources:
            report.sources += 1
            links = self._read_source(source, report)
            if links is None:
                report.sources_failed += 1
                continue
            for link in links:
                listed.setdefault(link, []).append(source)
        report.links = len(listed)
        settled = self.state.settled(list(listed))
        report.seen = len(settled)
        todo = [link for link in listed if link not in settled]
        unfinished = self._fetch_pages(todo, report)
        # a source whose links were not all settled is read in full next time (no 304 for it)
        for source in {source for link in unfinished for source in listed[link]}:
            self.state.forget_validators(source)
        report.seconds = time.monotonic() - t0
        return report

    def _problem(self, report: CycleReport, url: str, why: str) -> None:
        report.problems.append((url, why))
        self.on_problem(url, why)

    # -- sources ------------------------------------------------------------------------------
    def _read_source(self, source: str, report: CycleReport) -> list[str] | None:
        """The article links a source lists now (nested sitemaps and feeds read too); [] when
        it has not changed since the last read (304); None when it cannot be read."""
        links: list[str] = []
        queue, read = deque([source]), 0
        while queue and read <= MAX_NESTED:
            url = queue.popleft()
            read += 1
            try:
                page = self.fetcher.get(url, headers=self.state.validators(url))
                if page.status == 304:
                    continue
                listing: Listing = read_listing(url, page, lambda: self.fetcher.sitemaps_in_robots(url))
            except (FetchError, NotAFeed) as exc:
                self.state.source_read(url, None, error=str(exc))
                self._problem(report, url, str(exc))
                if url == source:
                    return None
                continue
            self.state.source_read(url, listing.kind, etag=page.headers.get("etag"),
                                   last_modified=page.headers.get("last-modified"),
                                   links=len(listing.links) + len(listing.more))
            links.extend(listing.links)
            queue.extend(u for u in listing.more if u != url)
        return links

    # -- pages --------------------------------------------------------------------------------
    def _fetch_pages(self, todo: list[str], report: CycleReport) -> list[str]:
        """Fetch and store the pages in `todo`, hosts in turn; the links left unsettled."""
        by_host: dict[str, deque[str]] = OrderedDict()
        for link in todo:
            by_host.setdefault(host_of(link), deque()).append(link)
        unfinished: list[str] = []
        budget = self.max_pages
        turns: dict[str, int] = {}  # pages taken from each host: among hosts ready, the fewest goes first
        while by_host:
            # the host that may be asked soonest (its pause runs while others are asked)
            host = min(by_host, key=lambda h: (self.fetcher.wait_for(h), turns.get(h, 0)))
            turns[host] = turns.get(host, 0) + 1
            queue = by_host[host]
            if budget <= 0:
                unfinished.extend(queue)
                report.waiting += len(queue)
                del by_host[host]
                continue
            link = queue.popleft()
            if not queue:
                del by_host[host]
            budget -= 1
            outcome = self._page(link, report)
            if outcome == "retry":
                unfinished.append(link)
            elif outcome == "slow":
                unfinished.append(link)
                rest = by_host.pop(host, deque())
                unfinished.extend(rest)
                report.waiting += len(rest)
                if rest:
                    self._problem(report, host, f"slow host: its {len(rest)} other page(s) wait for the next cycle")
        return unfinished

    def _page(self, url: str, report: CycleReport) -> str:
        """Fetch, extract, analyse and store one page; its outcome."""
        from derek.io import InputError, read_bytes
        from derek.store import content_hash

        host = host_of(url)
        try:
            page = self.fetcher.get(url)
            if page.media_type not in HTML_TYPES:
                raise FetchError(url, "refused", f"not an HTML page ({page.media_type})", permanent=True)
            src = read_bytes(_as_utf8(page), name=url, html=True)
            _check_article(src)
        except FetchError as exc:
            return self._failed(url, host, exc, report)
        except InputError as exc:
            why = str(exc).split(": ", 1)[-1] if str(exc).startswith(url) else str(exc)
            self.state.record(url, host, "no_article", error=why)
            report.no_article += 1
            self._problem(report, url, why)
            return "no_article"
        digest = content_hash(src.text)
        known = self.store.find_hash(digest)
        if known is not None:
            self.state.record(url, host, "known", article_id=known, content_hash=digest)
            report.known += 1
            return "known"
        try:
            doc = self._analyse(src.text, _meta(page.url, src.meta))
            added = self.store.add(doc, ext_id=url)
        except Exception as exc:  # an analysis or database problem: report it, keep going
            why = f"not stored ({type(exc).__name__}: {str(exc).splitlines()[0][:160] if str(exc) else ''})"
            self.state.record(url, host, "failed", error=why)
            report.failed += 1
            self._problem(report, url, why)
            return "retry"
        self.state.record(url, host, "stored" if added.added else "known", article_id=added.id, content_hash=digest)
        if added.added:
            report.stored += 1
        else:
            report.known += 1
        return "stored"

    def _failed(self, url: str, host: str, exc: FetchError, report: CycleReport) -> str:
        if exc.kind == "robots" and not exc.permanent:  # robots.txt unreadable for now: ask later
            report.waiting += 1
            self._problem(report, url, str(exc))
            return "retry"
        report.failed += 1
        if exc.permanent:  # 404/410, robots.txt says no, not HTML, a private address, a 403…
            status = {"gone": "gone", "robots": "refused", "refused": "refused"}.get(exc.kind, "failed")
            self.state.record(url, host, status, error=str(exc), give_up=True)
            self._problem(report, url, str(exc))
            return "failed"
        tries = self.state.record(url, host, "failed", error=str(exc))
        self._problem(report, url, str(exc) + (f" (failed in {tries} cycles: given up)" if tries >= MAX_ATTEMPTS else ""))
        return "slow" if exc.kind == "timeout" else "retry"

    def _analyse(self, text: str, meta: dict):
        if self.analyse is not None:
            return self.analyse(text, meta)
        import derek

        return derek.analyze(text, meta=meta)


def _check_article(src) -> None:
    """derek.io reads a page with trafilatura's favour-recall setting (a pasted or uploaded
    page is meant to be an article); a feed also lists section pages and indexes, whose
    menus that setting returns as text.  A page whose text, headline aside, is shorter than
    trafilatura's own minimum for an extraction (MIN_EXTRACTED_SIZE, 250 characters) has no
    article."""
    from trafilatura.settings import DEFAULT_CONFIG

    from derek.io import InputError

    body = src.text
    headline = src.meta.get("headline")
    if headline and body.startswith(headline):
        body = body[len(headline):]
    size = len(body.strip())
    if size < DEFAULT_CONFIG.getint("DEFAULT", "MIN_EXTRACTED_SIZE"):
        raise InputError(f"no article on the page (only {size} characters of text)")


def _meta(url: str, page_meta: dict) -> dict:
    """meta for the analysis: the page's URL (its host becomes the outlet), headline and
    author, and its date if it is one (YYYY-MM-DD, YYYY-MM or YYYY)."""
    from derek.extract.date_parts import published_date

    meta = {"source": url}
    for key in ("headline", "author"):
        if page_meta.get(key):
            meta[key] = page_meta[key]
    if page_meta.get("published"):
        try:
            meta["published"] = published_date(page_meta["published"])
        except ValueError:
            pass
    return meta


def _as_utf8(page) -> bytes:
    """The page's bytes for derek.io, which detects encodings by content: a charset the
    server declares is applied first (a cp1251 page declared so stays cp1251)."""
    if page.charset and page.charset not in ("utf-8", "utf8"):
        try:
            return page.body.decode(page.charset).encode("utf-8")
        except (LookupError, UnicodeDecodeError):
            return page.body
    return page.body
