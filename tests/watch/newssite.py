"""A small news site for the `derek watch` tests: an HTTP server on a random port of
127.0.0.1 serving our own Kazakh articles (written for these tests, from no dataset), an RSS
feed, an Atom feed, a sitemap index, robots.txt, and pages that fail on purpose (404, 500, a
slow host, HTML without an article, a broken feed).

Several outlets share the one server: the Host header picks the site ("news.localhost",
"slow.localhost"…; names under .localhost are the loopback address, RFC 6761, which
derek.watch.fetch honours).  Every request is logged with its time, so tests can check
what was fetched, how often, and how far apart."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARTICLES = {
    "/news/park.html": dict(
        title="Алматыда жаңа саябақ ашылды", date="2024-05-14", author="Айгүл Серікова",
        paragraphs=[
            "Алматы қаласының әкімдігі Бостандық ауданында жаңа саябақ ашты. Саябақтың аумағы он екі гектарды "
            "құрайды, онда балалар алаңы, велосипед жолдары және шағын көл бар.",
            "Қала әкімінің орынбасары жоба қала бюджетінен үш миллиард теңгеге қаржыландырылғанын айтты. "
            "Оның сөзінше, саябақта мыңнан астам ағаш отырғызылған.",
            "Тұрғындар жаңа демалыс орнын жылы қабылдады. Кешке қарай саябаққа жүздеген отбасы жиналды.",
        ]),
    "/news/water.html": dict(
        title="Шымкентте су құбыры жаңартылды", date="2024-05-20", author="Нұрлан Әбенов",
        paragraphs=[
            "Шымкент қаласында ескі су құбырының қырық шақырымы жаңа құбырлармен ауыстырылды. Жұмыс көктемде "
            "басталып, мамыр айының соңында аяқталды.",
            "Қалалық су арнасы кәсіпорнының директоры енді үш мөлтек ауданның тұрғындары таза суды тәулік бойы "
            "алатынын хабарлады.",
            "Келесі жылы тағы жиырма шақырым құбыр жөнделеді деп жоспарланған.",
        ]),
    "/news/harvest.html": dict(
        title="Ақтөбе облысында егін жинау басталды", date="2024-08-26", author=None,
        paragraphs=[
            "Ақтөбе облысының шаруалары биыл дәнді дақылдарды жинауды ерте бастады. Облыс бойынша жарты миллион "
            "гектар егістік алқаптан өнім жиналады.",
            "Ауыл шаруашылығы басқармасының мәліметінше, әр гектардан орта есеппен он бес центнер астық алынады "
            "деп күтілуде.",
            "Шаруалар жаңбырлы жаз өнімге жақсы әсер еткенін айтады.",
        ]),
    "/news/library.html": dict(
        title="Қарағандыда кітапхана жөндеуден кейін ашылды", date="2024-09-02", author="Мәдина Қасымова",
        paragraphs=[
            "Қарағанды облыстық кітапханасы екі жылғы жөндеуден кейін оқырмандарына есігін қайта ашты. "
            "Ғимаратта жаңа оқу залдары мен балалар бөлімі пайда болды.",
            "Кітапхана қорына биыл қазақ тіліндегі үш мыңнан астам жаңа кітап түсті.",
            "Кітапханашылар жазғы демалыс кезінде оқушыларға арналған оқу бағдарламасын дайындап жатыр.",
        ]),
}


def article_html(path: str, *, with_feed_link: bool = False) -> bytes:
    a = ARTICLES[path]
    author = f'<meta name="author" content="{a["author"]}">' if a["author"] else ""
    feed = '<link rel="alternate" type="application/rss+xml" href="/rss.xml">' if with_feed_link else ""
    body = "".join(f"<p>{p}</p>" for p in a["paragraphs"])
    return (f'<!doctype html><html lang="kk"><head><meta charset="utf-8"><title>{a["title"]}</title>'
            f'<meta property="article:published_time" content="{a["date"]}T09:00:00+05:00">{author}{feed}</head>'
            f'<body><nav><a href="/">Басты бет</a> <a href="/news/">Жаңалықтар</a></nav>'
            f'<article><h1>{a["title"]}</h1>{body}</article>'
            f'<footer>© Тест жаңалықтары</footer></body></html>').encode("utf-8")


def rss(base: str, paths: list[str]) -> bytes:
    items = "".join(f"<item><title>{ARTICLES.get(p, {}).get('title', p)}</title><link>{base}{p}</link>"
                    f"<guid>{base}{p}</guid></item>" for p in paths)
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Тест жаңалықтары</title>'
            f"<link>{base}/</link><description>Жаңалықтар</description>{items}</channel></rss>").encode("utf-8")


def atom(base: str, paths: list[str]) -> bytes:
    entries = "".join(f'<entry><title>{ARTICLES[p]["title"]}</title><link href="{base}{p}"/><id>{base}{p}</id>'
                      f'<updated>{ARTICLES[p]["date"]}T09:00:00Z</updated></entry>' for p in paths)
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Тест</title>'
            f'<link rel="self" href="{base}/atom.xml"/><id>{base}/</id>{entries}</feed>').encode("utf-8")


def sitemap(base: str, paths: list[str]) -> bytes:
    urls = "".join(f"<url><loc>{base}{p}</loc></url>" for p in paths)
    return (f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{urls}</urlset>").encode("utf-8")


def sitemap_index(base: str, paths: list[str]) -> bytes:
    maps = "".join(f"<sitemap><loc>{base}{p}</loc></sitemap>" for p in paths)
    return (f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{maps}</sitemapindex>").encode("utf-8")


NO_ARTICLE = ('<!doctype html><html><head><meta charset="utf-8"><title>Жаңалықтар</title></head><body>'
              '<nav><a href="/news/park.html">Саябақ</a> <a href="/news/water.html">Су</a></nav></body></html>').encode()


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    delay: float = 0.0  # seconds before answering (a slow host)
    headers: dict = field(default_factory=dict)
    gate: threading.Event | None = None  # answer only once the test sets it


class NewsSite:
    """`routes[(host, path)]`; `log` is (time, host, path, method, headers) per request."""

    def __init__(self):
        self.routes: dict[tuple[str, str], Route] = {}
        self.log: list[tuple[float, str, str, dict]] = []
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802
                host = (self.headers.get("Host") or "").split(":")[0].lower()
                with site.lock:
                    site.log.append((time.monotonic(), host, self.path, dict(self.headers)))
                    route = site.routes.get((host, self.path))
                if route is None:
                    route = Route(b"not here", 404, "text/plain")
                if route.gate is not None:
                    route.gate.wait(60)
                if route.delay:
                    time.sleep(route.delay)
                etag = route.headers.get("ETag")
                if etag and self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                try:
                    self.send_response(route.status)
                    self.send_header("Content-Type", route.content_type)
                    self.send_header("Content-Length", str(len(route.body)))
                    for k, v in route.headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(route.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def base(self, host: str) -> str:
        return f"http://{host}:{self.port}"

    def add(self, host: str, path: str, body: bytes | str = b"", **kw) -> None:
        self.routes[(host, path)] = Route(body.encode() if isinstance(body, str) else body, **kw)

    def requests(self, host: str | None = None, path: str | None = None) -> list[tuple[float, str, str, dict]]:
        with self.lock:
            return [r for r in self.log if (host is None or r[1] == host) and (path is None or r[2] == path)]

    def __enter__(self) -> "NewsSite":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        for route in self.routes.values():
            if route.gate is not None:
                route.gate.set()
        self.server.shutdown()
        self.server.server_close()


def news_outlet(site: NewsSite, host: str = "news.localhost", robots: str = "User-agent: *\nAllow: /\n") -> str:
    """The usual outlet: robots.txt, an RSS feed of three articles plus a 404, a 500 and a
    page without an article, the articles themselves, and a home page that links to the
    feed.  The feed's URL."""
    base = site.base(host)
    good = ["/news/park.html", "/news/water.html", "/news/harvest.html"]
    site.add(host, "/robots.txt", robots, content_type="text/plain")
    site.add(host, "/rss.xml", rss(base, good + ["/news/missing.html", "/news/broken.html", "/news/index.html"]),
             content_type="application/rss+xml; charset=utf-8", headers={"ETag": '"feed-1"'})
    for path in good:
        site.add(host, path, article_html(path))
    site.add(host, "/news/broken.html", "server error", status=500, content_type="text/plain")
    site.add(host, "/news/index.html", NO_ARTICLE)
    site.add(host, "/", article_html("/news/park.html", with_feed_link=True))
    return base + "/rss.xml"
