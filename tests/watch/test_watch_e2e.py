"""`derek watch` end to end, as a user runs it: the real command in its own process, against
a local news site (tests/watch/newssite.py: our own Kazakh articles, feeds, a sitemap,
robots.txt, and pages that fail on purpose), into a SQLite store.  No internet."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from newssite import ARTICLES, NewsSite, article_html, atom, news_outlet, rss, sitemap, sitemap_index

# quick politeness for a local server: the same rules, shorter waits
FAST = ["--allow-private", "--delay", "0.05", "--timeout", "2", "--retries", "1"]


def derek(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from derek.cli import main; main()", *args],
                          capture_output=True, text=True, timeout=timeout, env={**os.environ, "COLUMNS": "200"})


def _default_sigint() -> None:
    # a runner started in the background without job control ignores SIGINT, and a child
    # inherits that (Python then installs no KeyboardInterrupt): the Ctrl-C test needs the default
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "from derek.cli import main; main()", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"}, preexec_fn=_default_sigint)


def stored(db: str) -> list[dict]:
    from derek.store import Store

    with Store(db) as st:
        return [st.get(h["id"]) for h in st.search(limit=100)]


def cycle_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("derek watch: cycle")]


def test_once_stores_the_new_articles_with_their_metadata_and_skips_the_bad_pages(tmp_path):
    db = str(tmp_path / "w.sqlite")
    with NewsSite() as site:
        feed = news_outlet(site)
        res = derek("watch", feed, "--db", db, "--once", *FAST)
        assert res.returncode == 0, res.stderr
        [line] = cycle_lines(res.stderr)
        assert "1 source, 6 links: 3 new, 0 already stored, 0 seen before, 1 without an article, 2 failed" in line
        problems = [l for l in res.stderr.splitlines() if l.startswith("derek: watch: ")]
        assert any("/news/missing.html: HTTP 404" in l for l in problems)
        assert any("/news/broken.html: HTTP 500" in l for l in problems)
        assert any("/news/index.html: no article on the page" in l for l in problems)
        assert "Traceback" not in res.stderr
        # the 500 was asked again (one retry), the 404 was not
        assert len(site.requests(path="/news/broken.html")) == 2
        assert len(site.requests(path="/news/missing.html")) == 1
        docs = {d["meta"]["source"].rsplit("/", 1)[-1]: d for d in stored(db)}
        assert set(docs) == {"park.html", "water.html", "harvest.html"}
        park = docs["park.html"]
        assert park["meta"]["outlet"] == "news.localhost"
        assert park["meta"]["published"] == "2024-05-14"  # the page's own date
        assert park["meta"]["headline"] == ARTICLES["/news/park.html"]["title"]
        assert park["meta"]["author"] == "Айгүл Серікова"
        assert ARTICLES["/news/park.html"]["paragraphs"][1] in park["text"]
        assert "Басты бет" not in park["text"]  # the menu is not the article
        # every request carried our user agent, and robots.txt was read once, first
        assert all("derek-watch" in r[3].get("User-Agent", "") for r in site.requests())
        assert site.requests()[0][2] == "/robots.txt" and len(site.requests(path="/robots.txt")) == 1

        # again: nothing new, no settled page fetched again; the failed 500 is tried again
        before = len(site.requests())
        again = derek("watch", feed, "--db", db, "--once", *FAST)
        assert again.returncode == 0, again.stderr
        assert "0 new, 0 already stored, 5 seen before, 1 failed" in cycle_lines(again.stderr)[0]
        fetched = {r[2] for r in site.requests()[before:]}
        assert fetched == {"/robots.txt", "/rss.xml", "/news/broken.html"}
        assert len(stored(db)) == 3


def test_sitemaps_atom_and_discovery_with_dedup_by_content(tmp_path):
    """A sitemap index and its sitemap, an Atom feed, and an outlet's home page that links to
    its RSS feed: the same article under a second URL is stored once (same text)."""
    db = str(tmp_path / "w.sqlite")
    with NewsSite() as site:
        news_outlet(site)
        other = site.base("other.localhost")
        site.add("other.localhost", "/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
        site.add("other.localhost", "/sitemap_index.xml", sitemap_index(other, ["/sitemap-news.xml"]),
                 content_type="application/xml")
        site.add("other.localhost", "/sitemap-news.xml",
                 sitemap(other, ["/a/library.html", "/copy/park.html", "/private/library.html"]),
                 content_type="application/xml")
        site.add("other.localhost", "/a/library.html", article_html("/news/library.html"))
        site.add("other.localhost", "/copy/park.html", article_html("/news/park.html"))  # the same text
        site.add("other.localhost", "/private/library.html", article_html("/news/library.html"))
        site.add("other.localhost", "/atom.xml", atom(other, ["/news/harvest.html"]), content_type="application/atom+xml")
        site.add("other.localhost", "/news/harvest.html", article_html("/news/harvest.html"))
        home = site.base("news.localhost") + "/"
        res = derek("watch", home, other + "/sitemap_index.xml", other + "/atom.xml", "--db", db, "--once", *FAST)
        assert res.returncode == 0, res.stderr
        line = cycle_lines(res.stderr)[0]
        assert ": 3 sources, 10 links: " in line, line
        assert "4 new" in line and "2 already stored" in line  # park twice, harvest twice
        # robots.txt: the disallowed page was never asked for, and is reported
        assert not site.requests("other.localhost", "/private/library.html")
        assert "/private/library.html: robots.txt disallows it" in res.stderr
        docs = stored(db)
        # each text once, whichever of its URLs came first
        assert sorted(d["meta"]["headline"] for d in docs) == sorted(a["title"] for a in ARTICLES.values())
        assert {d["meta"]["outlet"] for d in docs} == {"news.localhost", "other.localhost"}
        assert all(d["meta"]["outlet"] in d["meta"]["source"] for d in docs)


def test_bad_sources_are_reported_and_skipped(tmp_path):
    db = str(tmp_path / "w.sqlite")
    with NewsSite() as site:
        good = news_outlet(site)
        base = site.base("badfeeds.localhost")
        site.add("badfeeds.localhost", "/robots.txt", "", status=404, content_type="text/plain")
        site.add("badfeeds.localhost", "/broken.xml", '<?xml version="1.0"?><rss><channel><item><title>Жаңалық',
                 content_type="application/rss+xml")
        site.add("badfeeds.localhost", "/plain.html", "<html><body><p>Бұл бетте таспа жоқ.</p></body></html>")
        site.add("badfeeds.localhost", "/data.bin", b"\x00\x01\x02", content_type="application/octet-stream")
        res = derek("watch", good, base + "/broken.xml", base + "/plain.html", base + "/data.bin", base + "/gone.xml",
                    "--db", db, "--once", *FAST)
        assert res.returncode == 1, res.stderr  # a source could not be read
        assert "Traceback" not in res.stderr
        err = res.stderr
        assert "/broken.xml: a broken feed" in err
        assert "/plain.html: a web page that links to no feed, and no sitemap in its robots.txt" in err
        assert "/data.bin: not a feed, sitemap or web page (application/octet-stream)" in err
        assert "/gone.xml: HTTP 404" in err
        assert "5 sources (4 unreadable), 6 links: 3 new" in cycle_lines(err)[0]
        assert len(stored(db)) == 3


def test_a_slow_host_is_reported_and_skipped_without_holding_the_others(tmp_path):
    db = str(tmp_path / "w.sqlite")
    with NewsSite() as site:
        good = news_outlet(site)
        slow = site.base("slow.localhost")
        site.add("slow.localhost", "/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
        site.add("slow.localhost", "/rss.xml", rss(slow, ["/news/library.html", "/news/park.html"]),
                 content_type="application/rss+xml")
        for path in ("/news/library.html", "/news/park.html"):
            site.add("slow.localhost", path, article_html(path), delay=10)
        t0 = time.monotonic()
        res = derek("watch", good, slow + "/rss.xml", "--db", db, "--once", "--allow-private", "--delay", "0.05",
                    "--timeout", "0.5", "--retries", "1")
        elapsed = time.monotonic() - t0
        assert res.returncode == 0, res.stderr
        assert "slow host: no answer within 0.5 s" in res.stderr
        assert "slow.localhost: slow host: its 1 other page(s) wait for the next cycle" in res.stderr
        # one slow page asked twice (a retry), the host's other page not at all
        assert len([r for r in site.requests("slow.localhost") if r[2].startswith("/news/")]) == 2
        assert "3 new" in cycle_lines(res.stderr)[0] and "1 left for the next cycle" in cycle_lines(res.stderr)[0]
        assert elapsed < 60
        assert {d["meta"]["outlet"] for d in stored(db)} == {"news.localhost"}


def test_the_pause_per_host_holds_and_hosts_take_turns(tmp_path):
    from derek.store import Store
    from derek.watch import Fetcher, Watcher

    with NewsSite() as site, Store(str(tmp_path / "w.sqlite")) as store:
        feeds = []
        for host in ("east.localhost", "west.localhost"):
            base = site.base(host)
            site.add(host, "/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
            site.add(host, "/rss.xml", rss(base, list(ARTICLES)), content_type="application/rss+xml")
            for path in ARTICLES:
                site.add(host, path, "<html><body><p>қысқа</p></body></html>")  # no article: no analysis time
            feeds.append(base + "/rss.xml")
        watcher = Watcher(store, feeds, Fetcher(delay=0.3, timeout=2, retries=0, allow_private=True))
        report = watcher.cycle()
        assert report.no_article == 8 and report.failed == 0
        for host in ("east.localhost", "west.localhost"):
            times = [r[0] for r in site.requests(host)]
            assert len(times) == 6  # robots.txt, the feed, four pages
            gaps = [b - a for a, b in zip(times, times[1:])]
            assert min(gaps) >= 0.28, gaps
        # while one host pauses the other is asked: the eight pages take about four pauses,
        # not the seven that one host after the other would need
        pages = [r[0] for r in site.requests() if r[2].startswith("/news/")]
        assert pages[-1] - pages[0] < 7 * 0.3 * 0.85, [round(t - pages[0], 2) for t in pages]


def test_a_killed_run_resumes_where_it_stopped(tmp_path):
    """kill -9 in the middle of a cycle: the articles stored before the kill stay, once; the
    next run fetches only what was not settled and stores each article once."""
    db = str(tmp_path / "w.sqlite")
    with NewsSite() as site:
        base = site.base("news.localhost")
        order = ["/news/harvest.html", "/news/library.html", "/news/park.html", "/news/water.html"]
        site.add("news.localhost", "/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
        site.add("news.localhost", "/rss.xml", rss(base, order), content_type="application/rss+xml")
        gate = threading.Event()
        for path in order:
            site.add("news.localhost", path, article_html(path), gate=gate if path == "/news/park.html" else None)
        proc = start("watch", base + "/rss.xml", "--db", db, "--once", "--allow-private", "--delay", "0.05",
                     "--timeout", "60", "--retries", "0")
        deadline = time.time() + 240
        while not site.requests(path="/news/park.html"):  # it waits on the gated page now
            assert proc.poll() is None and time.time() < deadline, proc.stderr.read() if proc.poll() is not None else ""
            time.sleep(0.1)
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        first = stored(db)
        assert sorted(d["meta"]["source"].rsplit("/", 1)[-1] for d in first) == ["harvest.html", "library.html"]
        gate.set()
        n_before = len(site.requests())
        res = derek("watch", base + "/rss.xml", "--db", db, "--once", *FAST)
        assert res.returncode == 0, res.stderr
        assert "2 new, 0 already stored, 2 seen before" in cycle_lines(res.stderr)[0]
        again = {r[2] for r in site.requests()[n_before:] if r[2].startswith("/news/")}
        assert again == {"/news/park.html", "/news/water.html"}
        assert sorted(d["meta"]["source"].rsplit("/", 1)[-1] for d in stored(db)) == [
            "harvest.html", "library.html", "park.html", "water.html"]


def test_every_cycle_picks_up_what_the_feed_adds_then_stops_cleanly(tmp_path):
    db = str(tmp_path / "w.sqlite")
    with NewsSite() as site:
        base = site.base("news.localhost")
        site.add("news.localhost", "/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
        site.add("news.localhost", "/rss.xml", rss(base, ["/news/park.html"]), content_type="application/rss+xml",
                 headers={"ETag": '"v1"'})
        for path in ARTICLES:
            site.add("news.localhost", path, article_html(path))
        proc = start("watch", base + "/rss.xml", "--db", db, "--every", "1s", *FAST)
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.extend(iter(proc.stderr.readline, "")), daemon=True)
        reader.start()

        def wait_for(n: int) -> None:
            deadline = time.time() + 240
            while len([l for l in lines if l.startswith("derek watch: cycle")]) < n:
                assert proc.poll() is None and time.time() < deadline, "".join(lines)
                time.sleep(0.1)

        wait_for(2)
        cycles = [l for l in lines if l.startswith("derek watch: cycle")]
        assert "1 new" in cycles[0] and "next at" in cycles[0]
        assert "0 links" in cycles[1]  # unchanged: a 304 for the feed, nothing fetched
        assert site.requests(path="/rss.xml")[-1][3].get("If-None-Match") == '"v1"'
        site.add("news.localhost", "/rss.xml", rss(base, ["/news/water.html", "/news/park.html"]),
                 content_type="application/rss+xml", headers={"ETag": '"v2"'})
        n = len(cycles)
        deadline = time.time() + 240
        while not any("1 new" in l for l in [l for l in lines if l.startswith("derek watch: cycle")][n:]):
            assert proc.poll() is None and time.time() < deadline, "".join(lines)
            time.sleep(0.1)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(30) == 130
        reader.join(5)
        assert any("stopped" in l for l in lines)
        assert len(stored(db)) == 2


@pytest.mark.parametrize("args,message", [
    (("watch", "ftp://news.kz/rss", "--once"), "is not an http(s) URL"),
    (("watch", "news.kz/rss", "--once"), "is not an http(s) URL"),
    (("watch", "https://news.kz/rss", "--every", "soon"), "give a duration such as"),
    (("watch", "https://news.kz/rss", "--every", "0s"), "at least 1s"),
])
def test_usage_errors_are_one_line_exit_2(tmp_path, args, message):
    res = derek(*args, "--db", str(tmp_path / "w.sqlite"))
    assert res.returncode == 2, res.stderr
    assert message in res.stderr and len(res.stderr.strip().splitlines()) == 1


def test_private_addresses_are_refused_unless_allowed(tmp_path):
    db = str(tmp_path / "w.sqlite")
    with NewsSite() as site:
        feed = news_outlet(site)
        res = derek("watch", feed, "--db", db, "--once", "--delay", "0.05")
        assert res.returncode == 1
        assert "is a private address (127.0.0.1); --allow-private reads such hosts" in res.stderr
        assert site.requests() == []  # not a single request went out
