"""What `derek watch` remembers, in the store beside the articles (tables watch_pages and
watch_sources, migration 0005), so that a run killed at any point resumes where it stopped:
each page's outcome is committed as soon as it is known, after its article (one
transaction each), and a page without a final outcome is simply asked again.
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select

from derek.store.models import WatchPage, WatchSource

# outcomes after which a page is never fetched again
FINAL = frozenset({"stored", "known", "no_article", "gone", "refused"})
# a page that failed (5xx, no answer) is tried in this many cycles before it is given up
MAX_ATTEMPTS = 3


def _now() -> datetime:
    return datetime.now(timezone.utc)


class WatchState:
    def __init__(self, store):
        self.store = store

    def settled(self, urls: list[str]) -> set[str]:
        """The URLs among `urls` that need no fetch: a final outcome, or failed too often."""
        out: set[str] = set()
        with self.store.session() as s:
            for i in range(0, len(urls), 500):
                chunk = urls[i:i + 500]
                rows = s.execute(select(WatchPage.url, WatchPage.status, WatchPage.attempts)
                                 .where(WatchPage.url.in_(chunk)))
                out.update(url for url, status, attempts in rows
                           if status in FINAL or attempts >= MAX_ATTEMPTS)
        return out

    def record(self, url: str, host: str, status: str, *, article_id: int | None = None,
               content_hash: str | None = None, error: str | None = None, give_up: bool = False) -> int:
        """Keep a page's outcome (committed now); the number of tries it has had.
        `give_up`: a failure that asking again would not mend (a 403): never fetched again."""
        with self.store.session() as s, s.begin():
            row = s.get(WatchPage, url)
            if row is None:
                row = WatchPage(url=url, host=host[:256], attempts=0, first_seen=_now())
                s.add(row)
            row.status, row.article_id, row.content_hash = status, article_id, content_hash
            row.error = error[:1000] if error else None
            row.attempts = max((row.attempts or 0) + 1, MAX_ATTEMPTS if give_up else 0)
            row.last_tried = _now()
            return row.attempts

    def page(self, url: str) -> WatchPage | None:
        with self.store.session() as s:
            return s.get(WatchPage, url)

    def validators(self, url: str) -> dict[str, str]:
        """Conditional-request headers for a source, from its last answer."""
        with self.store.session() as s:
            src = s.get(WatchSource, url)
            if src is None or src.error:
                return {}
            out = {}
            if src.etag:
                out["If-None-Match"] = src.etag
            if src.last_modified:
                out["If-Modified-Since"] = src.last_modified
            return out

    def forget_validators(self, url: str) -> None:
        """Read the source in full next time: some of its links are still to be fetched,
        and a 304 would hide them."""
        with self.store.session() as s, s.begin():
            src = s.get(WatchSource, url)
            if src is not None:
                src.etag = src.last_modified = None

    def source_read(self, url: str, kind: str | None, *, etag: str | None = None,
                    last_modified: str | None = None, links: int | None = None, error: str | None = None) -> None:
        with self.store.session() as s, s.begin():
            src = s.get(WatchSource, url) or WatchSource(url=url)
            s.add(src)
            src.checked_at, src.error = _now(), error[:1000] if error else None
            if error is None:
                src.kind, src.etag, src.last_modified, src.links = kind, etag, last_modified, links
