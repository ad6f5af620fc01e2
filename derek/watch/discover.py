"""What a watched URL lists: the article links of a feed (RSS, Atom, JSON Feed) or a
sitemap (and the sitemaps a sitemap index names), or, for an outlet's web page, the feeds it
links to (else the sitemaps its robots.txt names).  The reading itself is trafilatura's
(trafilatura.feeds, trafilatura.sitemaps): its link cleaning, its same-site rule (links to
other sites are dropped) and its feed discovery.
"""
from __future__ import annotations

import gzip
import re
import zlib
from dataclasses import dataclass, field

from derek.watch.fetch import Page


class NotAFeed(ValueError):
    """A source that lists nothing derek can read; the message says what it was."""


@dataclass
class Listing:
    kind: str  # feed | sitemap | page
    links: list[str] = field(default_factory=list)  # article pages
    more: list[str] = field(default_factory=list)  # feeds or sitemaps to read next


def page_text(page: Page) -> str:
    """The body as text: gzip undone (a sitemap.xml.gz is a gzip file, not an encoding),
    then the declared charset, else UTF-8."""
    body = page.body
    if body[:2] == b"\x1f\x8b":
        try:
            body = gzip.decompress(body)
        except (OSError, EOFError, zlib.error):
            raise NotAFeed("a broken gzip file") from None
    try:
        return body.decode(page.charset or "utf-8", "replace")
    except LookupError:  # a charset Python does not know
        return body.decode("utf-8", "replace")


def read_listing(url: str, page: Page, robots_sitemaps=lambda: []) -> Listing:
    """The links of a fetched source, or NotAFeed.  `robots_sitemaps()` gives the
    site's robots.txt Sitemap: lines, for a web page that links to no feed."""
    from courlan import get_hostinfo
    from trafilatura import feeds

    text = page_text(page).lstrip("\ufeff \t\r\n")
    domain, base = get_hostinfo(page.url)
    if domain is None:
        raise NotAFeed(f"trafilatura cannot read links on this host ({base})")
    params = feeds.FeedParameters(base, domain, url)
    root = _root(text)
    if root in ("urlset", "sitemapindex") or (root is None and _url_lines(text)):
        return _sitemap(page.url, text, base, domain)
    if root in ("rss", "feed", "rdf") or (text.startswith("{") and '"items"' in text):
        links = feeds.extract_links(text, params)
        if not links and not _well_formed(text):
            raise NotAFeed("a broken feed: not well-formed and no article links in it")
        return Listing("feed", links=_unique(links))
    if root == "html" or "html" in page.media_type:
        found = feeds.determine_feed(text, params)
        more = found or robots_sitemaps()
        if not more:
            raise NotAFeed("a web page that links to no feed, and no sitemap in its robots.txt")
        return Listing("page", more=_unique(more))
    raise NotAFeed(f"not a feed, sitemap or web page ({page.media_type or 'no content type'})")


_ROOT = re.compile(r"<(?![?!/])(?:[\w.-]+:)?([\w.-]+)")


def _root(text: str) -> str | None:
    """The document element's local name, lower-cased (after the XML declaration, comments
    and doctype), or None for what is not markup."""
    head = _COMMENTS.sub("", text[:5000])
    m = _ROOT.search(head)
    if m is None or head[:m.start()].strip(" \t\r\n") and not head.lstrip().startswith("<"):
        return None
    return m.group(1).lower()


_COMMENTS = re.compile(r"<!--.*?-->", re.S)


def _url_lines(text: str) -> bool:
    """A plain-text sitemap: one URL a line."""
    lines = [line.strip() for line in text[:20000].splitlines() if line.strip()]
    return bool(lines) and all(line.startswith(("http://", "https://")) and " " not in line for line in lines)


def _sitemap(url: str, text: str, base: str, domain: str) -> Listing:
    from trafilatura.sitemaps import SitemapObject, is_plausible_sitemap

    if not is_plausible_sitemap(url, text):
        raise NotAFeed("not a valid sitemap")
    sitemap = SitemapObject(base, domain, [])
    sitemap.current_url, sitemap.content = url, text
    sitemap.process()
    if not sitemap.urls and not sitemap.sitemap_urls and not _well_formed(text):
        raise NotAFeed("a broken sitemap: not well-formed and no links in it")
    return Listing("sitemap", links=_unique(sitemap.urls), more=_unique(sitemap.sitemap_urls))


def _well_formed(text: str) -> bool:
    import json

    from lxml import etree

    if text.startswith("{"):
        try:
            return isinstance(json.loads(text), dict)
        except ValueError:
            return False
    try:
        etree.fromstring(text.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return False
    return True


def _unique(links) -> list[str]:
    return list(dict.fromkeys(links))
