"""derek.watch's parts on their own: reading feeds and sitemaps, the retry and pause rules,
and the metadata a page gives its article."""
from __future__ import annotations

import gzip
import re

import sys
from pathlib import Path

import pytest

STORE_TESTS = str(Path(__file__).resolve().parents[1] / "store")  # the store fixtures (SQLite, PostgreSQL)
if STORE_TESTS not in sys.path:
    sys.path.append(STORE_TESTS)

from store_fixtures import pg_url, store_url  # noqa: E402,F401  (fixtures)
from newssite import NewsSite, article_html, atom, rss, sitemap, sitemap_index

from derek.watch.discover import NotAFeed, read_listing
from derek.watch.fetch import Fetcher, FetchError, Page

BASE = "http://news.localhost:8080"


def page(body: bytes | str, content_type: str = "application/xml", url: str = BASE + "/feed") -> Page:
    return Page(url, 200, body.encode() if isinstance(body, str) else body, {"content-type": content_type})


@pytest.mark.parametrize("kind,body", [
    ("feed", rss(BASE, ["/news/park.html", "/news/water.html"])),
    ("feed", atom(BASE, ["/news/park.html", "/news/water.html"])),
    ("feed", ('{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1", "url": "%s/news/park.html"},'
              ' {"id": "2", "url": "%s/news/water.html"}]}' % (BASE, BASE)).encode()),
    ("sitemap", sitemap(BASE, ["/news/park.html", "/news/water.html"])),
    ("sitemap", gzip.compress(sitemap(BASE, ["/news/park.html", "/news/water.html"]))),
    ("sitemap", f"{BASE}/news/park.html\n{BASE}/news/water.html\n".encode()),
])
def test_feeds_and_sitemaps_list_their_article_links(kind, body):
    listing = read_listing(BASE + "/feed", page(body))
    assert listing.kind == kind
    assert sorted(listing.links) == [BASE + "/news/park.html", BASE + "/news/water.html"]


def test_a_sitemap_index_names_sitemaps_and_a_page_names_its_feeds():
    index = read_listing(BASE + "/sitemap.xml", page(sitemap_index(BASE, ["/a.xml", "/b.xml"])))
    assert index.kind == "sitemap" and index.links == [] and sorted(index.more) == [BASE + "/a.xml", BASE + "/b.xml"]
    home = read_listing(BASE + "/", page(article_html("/news/park.html", with_feed_link=True), "text/html", BASE + "/"))
    assert home.kind == "page" and home.more == [BASE + "/rss.xml"]
    robots = read_listing(BASE + "/", page(article_html("/news/park.html"), "text/html", BASE + "/"),
                          robots_sitemaps=lambda: [BASE + "/sitemap.xml"])
    assert robots.more == [BASE + "/sitemap.xml"]


def test_links_to_other_sites_are_dropped():
    body = rss(BASE, ["/news/park.html"]).replace(b"</channel>", b"<item><link>https://elsewhere.example/x/y</link></item></channel>")
    assert read_listing(BASE + "/feed", page(body)).links == [BASE + "/news/park.html"]


@pytest.mark.parametrize("body,content_type,message", [
    ('<?xml version="1.0"?><rss><channel><item><title>x', "application/rss+xml", "a broken feed"),
    ("<html><body><p>Тек мәтін.</p></body></html>", "text/html", "links to no feed"),
    ("just words, nothing else", "text/plain", "not a feed, sitemap or web page (text/plain)"),
    (b"\x1f\x8b\x00garbage", "application/gzip", "a broken gzip file"),
])
def test_what_lists_nothing_says_what_it_is(body, content_type, message):
    with pytest.raises(NotAFeed, match=re.escape(message)):
        read_listing(BASE + "/feed", page(body, content_type))


def test_an_empty_feed_is_no_error():
    assert read_listing(BASE + "/feed", page(rss(BASE, []))).links == []


class FakeClock:
    def __init__(self):
        self.now, self.slept = 1000.0, []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 3))
        self.now += seconds


def test_retries_back_off_and_follow_retry_after():
    with NewsSite() as site:
        site.add("news.localhost", "/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
        site.add("news.localhost", "/busy", "busy", status=503, content_type="text/plain", headers={"Retry-After": "7"})
        site.add("news.localhost", "/down", "down", status=500, content_type="text/plain")
        clock = FakeClock()
        fetcher = Fetcher(delay=0.5, retries=2, allow_private=True, sleep=clock.sleep, clock=clock)
        with pytest.raises(FetchError, match="HTTP 503") as busy:
            fetcher.get(site.base("news.localhost") + "/busy")
        assert not busy.value.permanent
        assert clock.slept == [0.5, 7.0, 7.0]  # the pause after robots.txt, then the server's Retry-After twice
        clock.slept.clear()
        with pytest.raises(FetchError, match="HTTP 500"):
            fetcher.get(site.base("news.localhost") + "/down")
        assert clock.slept == [0.5, 1.0, 2.0]  # the pause, then delay·2, delay·4
        assert len(site.requests(path="/down")) == 3


def test_crawl_delay_and_disallow_come_from_robots_txt():
    with NewsSite() as site:
        site.add("news.localhost", "/robots.txt", "User-agent: derek-watch\nCrawl-delay: 4\nDisallow: /closed/\n",
                 content_type="text/plain")
        site.add("news.localhost", "/open", article_html("/news/park.html"))
        clock = FakeClock()
        fetcher = Fetcher(delay=0.5, allow_private=True, sleep=clock.sleep, clock=clock)
        base = site.base("news.localhost")
        with pytest.raises(FetchError, match="robots.txt disallows it") as closed:
            fetcher.get(base + "/closed/page")
        assert closed.value.permanent and not site.requests(path="/closed/page")
        fetcher.get(base + "/open")
        fetcher.get(base + "/open")
        assert clock.slept[-1] == 4.0  # the Crawl-delay, longer than --delay


def test_an_unreadable_robots_txt_means_not_now():
    with NewsSite() as site:
        site.add("news.localhost", "/robots.txt", "oops", status=503, content_type="text/plain")
        fetcher = Fetcher(delay=0, retries=0, allow_private=True)
        with pytest.raises(FetchError, match="robots.txt answered HTTP 503") as exc:
            fetcher.get(site.base("news.localhost") + "/news/park.html")
        assert exc.value.kind == "robots" and not exc.value.permanent
        assert not site.requests(path="/news/park.html")


@pytest.mark.parametrize("given,kept", [("2024-05-14T09:00:00+05:00", "2024-05-14"), ("2024-05", "2024-05"),
                                        ("2024", "2024"), ("2024-13-01", None), ("кеше", None)])
def test_the_pages_date_becomes_meta_published_when_it_is_a_date(given, kept):
    from derek.watch.run import _meta

    meta = _meta(BASE + "/news/park.html", {"published": given, "headline": "Тақырып", "author": None})
    assert meta.get("published") == kept
    assert meta["source"] == BASE + "/news/park.html" and meta["headline"] == "Тақырып" and "author" not in meta


def test_every_accepts_durations():
    from derek.cli.watch import parse_every

    assert [parse_every(v) for v in ("30s", "15m", "1h", "1d", "5", "1.5h")] == [30, 900, 3600, 86400, 300, 5400]


def test_a_cycle_on_either_backend_stores_new_pages_once(store_url):
    """The watch state lives in the store: the same cycle on SQLite and PostgreSQL."""
    from newssite import news_outlet

    from derek.store import Store
    from derek.watch import Watcher

    with NewsSite() as site, Store(store_url) as store:
        feed = news_outlet(site)
        watcher = Watcher(store, [feed], Fetcher(delay=0.01, timeout=2, retries=0, allow_private=True))
        first = watcher.cycle()
        assert (first.stored, first.no_article, first.failed) == (3, 1, 2)
        second = watcher.cycle()
        assert (second.stored, second.seen, second.failed) == (0, 5, 1)  # the 500 is asked again
        assert {h["outlet"] for h in store.search(outlet="news.localhost", since="2024-05")} == {"news.localhost"}
        assert len(store.search(outlet="news.localhost", since="2024-05-15")) == 2
