"""A polite HTTP client for `derek watch`: robots.txt, a per-host pause, timeouts, retries
with backoff, and no private addresses unless asked.

Why not trafilatura's own `fetch_url`: it answers None for every failure (a 404, a 500 after
its retries, a timeout, a refused address all look alike), its retry backoff is tied to the
download timeout, and it keeps no pause between requests to one host.  derek watch must say
why a page was skipped and must not hammer an outlet, so the requests are made here, with
urllib3 (trafilatura's own HTTP library); the feeds, sitemaps and pages are still read by
trafilatura (derek.watch.discover, derek.io).

Politeness, per host:
- robots.txt is read first (protego) and obeyed for our user agent; its Crawl-delay, when
  longer, replaces the pause.  A robots.txt that cannot be read (5xx, no answer) means
  "disallow all" for a while (RFC 9309 §2.3.1.4); a missing one (4xx) allows all.
- consecutive requests to a host are `delay` seconds apart at least (robots.txt included);
- a request that times out, fails to connect or answers 429/5xx is retried `retries` times,
  after delay·2, delay·4, … seconds (or the server's Retry-After, up to two minutes);
- `timeout` bounds a whole request, however slowly the bytes come.
Safety: a name must resolve to public addresses (a feed cannot send derek to 127.0.0.1 or
the cloud's metadata address) unless `allow_private`; the connection goes to the address
checked, so a second lookup cannot change it.  Names under .localhost are the loopback
address, as RFC 6761 asks of name resolution (and browsers do).
"""
from __future__ import annotations

import email.utils
import ipaddress
import socket
import time
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urljoin, urlsplit

import urllib3

USER_AGENT = "derek-watch/0.1 (news monitoring; obeys robots.txt)"
ROBOTS_AGENT = "derek-watch"
MAX_BYTES = 10_000_000
MAX_REDIRECTS = 5
MAX_RETRY_AFTER = 120.0
MAX_CRAWL_DELAY = 60.0  # a longer Crawl-delay would stall a cycle for its one host
ROBOTS_TTL = 3600.0  # a robots.txt read is trusted this long
ROBOTS_RETRY = 300.0  # one that could not be read is asked again after this long
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
REDIRECTS = frozenset({301, 302, 303, 307, 308})


class FetchError(Exception):
    """A URL that could not be fetched.  `kind`: robots, refused (a private address, not
    http), gone (404/410), http (another status), timeout, network; `permanent`: asking
    again later would not help."""

    def __init__(self, url: str, kind: str, message: str, *, status: int | None = None, permanent: bool = False):
        super().__init__(message)
        self.url, self.kind, self.status, self.permanent = url, kind, status, permanent


@dataclass
class Page:
    url: str  # after redirects
    status: int  # 200, or 304 for a conditional request whose answer has not changed
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def media_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for part in self.headers.get("content-type", "").split(";")[1:]:
            key, _, value = part.partition("=")
            if key.strip().lower() == "charset" and value.strip():
                return value.strip().strip('"').lower()
        return None


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


class Fetcher:
    def __init__(self, *, timeout: float = 20.0, retries: int = 2, delay: float = 1.0,
                 allow_private: bool = False, user_agent: str = USER_AGENT, max_bytes: int = MAX_BYTES,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic):
        self.timeout, self.retries, self.delay = timeout, retries, delay
        self.allow_private, self.user_agent, self.max_bytes = allow_private, user_agent, max_bytes
        self.sleep, self.clock = sleep, clock
        self._next: dict[str, float] = {}  # host -> when it may be asked again
        self._host_delay: dict[str, float] = {}  # host -> its robots.txt Crawl-delay
        self._robots: dict[str, tuple[object | None, float, str | None]] = {}  # origin -> (parser, until, why refused)
        self._pools: dict[tuple, urllib3.HTTPConnectionPool] = {}
        self.requests = 0  # sent, robots.txt and retries included

    # -- the public side ---------------------------------------------------------------------
    def get(self, url: str, headers: dict[str, str] | None = None) -> Page:
        """The page at `url` (following redirects), or FetchError.  `headers` may carry
        If-None-Match / If-Modified-Since: an unchanged answer is a Page with status 304."""
        for _ in range(MAX_REDIRECTS + 1):
            self._check_robots(url)
            status, body, got = self._request(url, headers or {})
            if status in REDIRECTS and got.get("location"):
                url = urljoin(url, got["location"])
                continue
            if status in (200, 203) or status == 304:
                return Page(url, 304 if status == 304 else 200, body, got)
            if status in (404, 410):
                raise FetchError(url, "gone", f"HTTP {status}: the page is gone", status=status, permanent=True)
            raise FetchError(url, "http", f"HTTP {status}", status=status,
                             permanent=status not in RETRY_STATUSES and not 500 <= status < 600)
        raise FetchError(url, "http", f"more than {MAX_REDIRECTS} redirects", permanent=True)

    def wait_for(self, host: str) -> float:
        """Seconds before `host` may be asked again (0: now)."""
        return max(0.0, self._next.get(host, 0.0) - self.clock())

    def sitemaps_in_robots(self, url: str) -> list[str]:
        """The Sitemap: lines of the site's robots.txt (empty when it has none)."""
        parser = self._robots_for(url)[0]
        return list(parser.sitemaps) if parser is not None else []

    def close(self) -> None:
        for pool in self._pools.values():
            pool.close()
        self._pools.clear()

    # -- robots.txt ---------------------------------------------------------------------------
    def _robots_for(self, url: str):
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        cached = self._robots.get(origin)
        if cached is not None and cached[1] > self.clock():
            return cached
        from protego import Protego

        try:
            status, body, _ = self._request(origin + "/robots.txt", {})
        except FetchError as exc:
            if exc.kind == "refused":
                raise
            entry = (None, self.clock() + ROBOTS_RETRY, f"robots.txt could not be read ({exc})")
        else:
            if status == 200:
                entry = (Protego.parse(body.decode("utf-8", "replace")), self.clock() + ROBOTS_TTL, None)
            elif 400 <= status < 500:  # no robots.txt: everything is allowed
                entry = (Protego.parse(""), self.clock() + ROBOTS_TTL, None)
            else:
                entry = (None, self.clock() + ROBOTS_RETRY, f"robots.txt answered HTTP {status}")
        self._robots[origin] = entry
        return entry

    def _check_robots(self, url: str) -> None:
        if urlsplit(url).path == "/robots.txt":
            return
        parser, _, why = self._robots_for(url)
        if parser is None:
            raise FetchError(url, "robots", f"{why}: the site is not read for now")
        if not parser.can_fetch(url, ROBOTS_AGENT):
            raise FetchError(url, "robots", "robots.txt disallows it", permanent=True)
        crawl_delay = parser.crawl_delay(ROBOTS_AGENT)
        if crawl_delay:
            host = host_of(url)
            self._host_delay[host] = min(float(crawl_delay), MAX_CRAWL_DELAY)

    # -- one request, with the pause, the retries and the deadline ------------------------------
    def _request(self, url: str, headers: dict[str, str]) -> tuple[int, bytes, dict[str, str]]:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(url, "refused", "not an http(s) URL", permanent=True)
        host = parts.hostname.lower()
        address = self._address(url, host)
        pool = self._pool(parts.scheme, address, parts.port or (443 if parts.scheme == "https" else 80), host)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        sent = {"Host": parts.netloc, "User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate",
                "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", **headers}
        attempt = 0
        while True:
            self._pause(host)
            try:
                status, body, got = self._once(pool, url, target, sent)
            except FetchError as exc:
                if attempt >= self.retries or exc.permanent:
                    raise
                wait = self._backoff(attempt, None)
            else:
                if status not in RETRY_STATUSES or attempt >= self.retries:
                    return status, body, got
                wait = self._backoff(attempt, got.get("retry-after"))
            attempt += 1
            self._next[host] = max(self._next.get(host, 0.0), self.clock() + wait)

    def _once(self, pool, url: str, target: str, headers: dict[str, str]) -> tuple[int, bytes, dict[str, str]]:
        self.requests += 1
        start = self.clock()
        timeout = urllib3.Timeout(connect=self.timeout, read=self.timeout)
        try:
            res = pool.urlopen("GET", target, headers=headers, redirect=False, retries=False,
                               preload_content=False, decode_content=True, timeout=timeout)
            try:
                chunks, size = [], 0
                for chunk in res.stream(65536):
                    chunks.append(chunk)
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise FetchError(url, "http", f"larger than {self.max_bytes:,} bytes", permanent=True)
                    if self.clock() - start > self.timeout:
                        raise FetchError(url, "timeout", f"slow host: the page took over {self.timeout:g} s")
                got = {k.lower(): v for k, v in res.headers.items()}
                return res.status, b"".join(chunks), got
            finally:
                res.release_conn()
        except (urllib3.exceptions.TimeoutError, socket.timeout):
            raise FetchError(url, "timeout", f"slow host: no answer within {self.timeout:g} s") from None
        except urllib3.exceptions.ProtocolError as exc:
            if "timed out" in str(exc).lower():
                raise FetchError(url, "timeout", f"slow host: no answer within {self.timeout:g} s") from None
            raise FetchError(url, "network", f"connection failed ({_reason(exc)})") from None
        except urllib3.exceptions.DecodeError as exc:
            raise FetchError(url, "http", f"an undecodable answer ({_reason(exc)})", permanent=True) from None
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise FetchError(url, "network", f"connection failed ({_reason(exc)})") from None
        finally:
            host = host_of(url)
            pause = max(self.delay, self._host_delay.get(host, 0.0))
            self._next[host] = max(self._next.get(host, 0.0), self.clock() + pause)

    def _pause(self, host: str) -> None:
        wait = self.wait_for(host)
        if wait > 0:
            self.sleep(wait)

    def _backoff(self, attempt: int, retry_after: str | None) -> float:
        wait = max(self.delay, 0.05) * 2 ** (attempt + 1)
        if retry_after:
            try:
                wait = float(retry_after)
            except ValueError:
                when = email.utils.parsedate_to_datetime(retry_after) if retry_after.strip() else None
                if when is not None:
                    wait = when.timestamp() - time.time()
            wait = min(max(wait, 0.0), MAX_RETRY_AFTER)
        return wait

    # -- where to connect ---------------------------------------------------------------------
    def _address(self, url: str, host: str) -> str:
        if host == "localhost" or host.endswith(".localhost"):
            addresses = ["127.0.0.1"]
        else:
            try:
                infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
            except (socket.gaierror, UnicodeError) as exc:
                raise FetchError(url, "network", f"unknown host {host} ({_reason(exc)})") from None
            addresses = list(dict.fromkeys(info[4][0] for info in infos))
        if not self.allow_private:
            for addr in addresses:
                ip = ipaddress.ip_address(addr.split("%", 1)[0])
                ip = getattr(ip, "ipv4_mapped", None) or ip
                if not ip.is_global:
                    raise FetchError(url, "refused", f"{host} is a private address ({addr}); "
                                                     "--allow-private reads such hosts", permanent=True)
        return addresses[0]

    def _pool(self, scheme: str, address: str, port: int, host: str):
        key = (scheme, address, port, host)
        pool = self._pools.get(key)
        if pool is None:
            if scheme == "https":
                pool = urllib3.HTTPSConnectionPool(address, port, maxsize=1, retries=False, server_hostname=host,
                                                   assert_hostname=host, cert_reqs="CERT_REQUIRED")
            else:
                pool = urllib3.HTTPConnectionPool(address, port, maxsize=1, retries=False)
            self._pools[key] = pool
        return pool


def _reason(exc: BaseException) -> str:
    text = str(getattr(exc, "reason", None) or exc)
    return text.split(": ", 1)[-1][:160] if text else type(exc).__name__
