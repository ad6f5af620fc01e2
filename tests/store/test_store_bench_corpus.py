"""Search correctness on a small synthesised corpus (bench/store_corpus.py: sentences of the
seed recombined, every layer shifted), checked against a brute-force oracle; and the
store bench's --small mode, so the bench cannot rot."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from derek.schema import validate_document
from derek.store import Store
from derek.store.bulk import dict_terms, plain_dict
from derek.store.store import entity_key
from derek.store.terms import query_groups

BENCH = Path(__file__).resolve().parents[2] / "bench"

from tests.conftest import needs_seed  # noqa: E402  (the benches build on the reference article)

pytestmark = needs_seed
sys.path.insert(0, str(BENCH))
from store_corpus import pool, synthesise  # noqa: E402

N = 150


@pytest.fixture(scope="module")
def synth(tmp_path_factory):
    units = pool(small=True)
    docs = [synthesise(units, i) for i in range(N)]
    db = tmp_path_factory.mktemp("synth") / "s.sqlite"
    with Store(str(db)) as st:
        st.add_many([(plain_dict(d), None, f"syn{i}", None) for i, d in enumerate(docs)])
    st = Store(str(db))
    yield st, docs, units
    st.close()


def test_synthesised_documents_keep_the_contract(synth):
    _, docs, _ = synth
    for doc in docs[:30]:
        data = doc.to_dict()
        validate_document(data)
        for item in doc.iter_items():
            if getattr(item, "text", None) is not None:
                assert doc.text[item.start:item.end] == item.text
        assert doc.entities, "the seed's sentences carry entities"


def _ids(hits):
    return {int(h["ext_id"][3:]) for h in hits}


def test_search_matches_a_brute_force_oracle(synth):
    st, docs, units = synth
    doc_terms = [set(dict_terms(plain_dict(d)).split()) for d in docs]
    words = sorted({w for u in units for w in u.text.split() if len(w) > 3})[:40]
    queries = words + [" ".join(words[i:i + 2]) for i in range(0, 20, 2)]
    nonempty = 0
    for q in queries:
        groups = query_groups(q)
        want = {i for i, t in enumerate(doc_terms) if all(t.intersection(g) for g in groups)}
        got = st.search(q, limit=500)
        assert _ids(got) == want, q
        nonempty += bool(want)
    assert nonempty > 20


@pytest.mark.parametrize("plan", ["id lists", "index probes", "rank window"])
def test_filters_match_a_brute_force_oracle(synth, plan, monkeypatch):
    """Filters are applied as id lists (small) or per-article probes (large): both give
    the same answers, as does a query whose hits exceed the BM25 window."""
    from derek.store import query
    from derek.store.kinds import kind_of

    if plan == "index probes":
        monkeypatch.setattr(query, "SMALL_FILTER", 0)
    if plan == "rank window":
        monkeypatch.setattr(query, "RANK_WINDOW", 3)
    st, docs, _ = synth
    names = sorted({e.canonical or e.text for d in docs for e in d.entities})[:12]
    for name in names:
        key = entity_key(name)
        want = {i for i, d in enumerate(docs)
                if any(entity_key(e.canonical or e.text) in (key,) or entity_key(e.canonical or e.text).startswith(key + " ")
                       for e in d.entities)}
        got = st.search(entity=name, limit=500)
        assert _ids(got) == want, name
        # the entity page: the newest articles with exactly this key, and their mentions, of
        # every label (kind "all") and of names only (the default)
        for kind in ("all", None):
            counted = [e for d in docs for e in d.entities if kind == "all" or kind_of(e.label) == "named"]
            mentions = {i: sum(entity_key(e.canonical or e.text) == key and (kind == "all" or kind_of(e.label) == "named")
                               for e in d.entities) for i, d in enumerate(docs)}
            newest = sorted((i for i in mentions if mentions[i]), key=lambda i: (docs[i].meta.published, i), reverse=True)
            page = st.entity(name, limit=7, kind=kind)
            articles = page["articles"] if page else []
            assert [(a["id"] - 1, a["mentions"]) for a in articles] == [(i, mentions[i]) for i in newest[:7]], (name, kind)
            assert counted  # the corpus has mentions of both views
        # no query words: newest first
        assert [h["published"] for h in got] == sorted((h["published"] for h in got), reverse=True)
    for indicator in sorted({c.indicator for d in docs for c in d.claims if c.indicator})[:3]:
        want = {i for i, d in enumerate(docs) if any(c.indicator == indicator for c in d.claims)}
        assert _ids(st.search(indicator=indicator, limit=500)) == want
        tl = st.timeline(indicator, limit=5)
        assert tl["count"] == sum(c.indicator == indicator for d in docs for c in d.claims)
        assert len(tl["claims"]) == min(5, tl["count"]) and tl["truncated"] == (tl["count"] > 5)
        pubs = [c["published"] for c in tl["claims"]]
        assert pubs == sorted(pubs)
    want = {i for i, d in enumerate(docs) if "2019" <= d.meta.published <= "2019-06\uffff"}
    assert _ids(st.search(since="2019", until="2019-06", limit=500)) == want
    # words and filters together; with the window at 3, the 3 newest matching articles
    name = names[0]
    key = entity_key(name)
    word = docs[0].text.split()[1]
    groups = query_groups(word)
    terms = [set(dict_terms(plain_dict(d)).split()) for d in docs]
    both = sorted((i for i, d in enumerate(docs)
                   if all(terms[i].intersection(g) for g in groups)
                   and any(entity_key(e.canonical or e.text) == key or entity_key(e.canonical or e.text).startswith(key + " ")
                           for e in d.entities)), reverse=True)
    got = _ids(st.search(word, entity=name, limit=3 if plan == "rank window" else 500))
    assert got == (set(both[:3]) if plan == "rank window" else set(both))


def test_store_bench_small_runs_and_reports_every_figure(tmp_path):
    res = subprocess.run([sys.executable, str(BENCH / "store_bench.py"), "--small", "--articles", "300", "--json"],
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr[-2000:]
    figures = json.loads(res.stdout.strip().splitlines()[-1])
    assert figures["queries"] >= 200 and figures["reingest_added"] == 0
    for key in ("analysed_per_s", "raw_per_s_1", "raw_per_s_2", "search_p50_ms", "search_p95_ms", "search_p99_ms"):
        assert figures[key] > 0, key
    assert "search p95 (ms)" in res.stdout and "≥ 200" in res.stdout
