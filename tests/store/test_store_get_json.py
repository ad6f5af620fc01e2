"""Store.get_json: the stored JSON with the store's fields spliced in, equal (as JSON) to
`get` on every stored document, on SQLite and PostgreSQL; with_store_fields on hostile
and unusual layouts, where it must either splice exactly or hand over to the general path."""
from __future__ import annotations

import json

import pytest

from derek.store.store import with_store_fields
from docfactory import corpus, make_doc
from store_fixtures import filled, pg_url, store, store_url  # noqa: F401  (fixtures)


def test_get_json_equals_get_on_every_stored_document(filled):
    store, ids = filled
    for key in corpus():
        text = store.get_json(ids[key])
        data = json.loads(text)
        assert data == store.get(ids[key]), key
        assert next(iter(data)) == "id"  # spliced in first, not decoded and re-encoded
    assert store.get_json(10**9) is None
    # the read is a fixed driver statement: an id given as text is still the integer
    # (PostgreSQL would refuse to compare an integer column with a text parameter)
    some = next(iter(ids.values()))
    assert store.get_json(str(some)) == store.get_json(some)


def test_text_that_looks_like_json_keys_is_not_mistaken_for_them(store):
    nasty = 'Ресей "meta": {"outlet": "x"}, "id": 5, NaN-free \\ "} { \u2028 end'
    doc = make_doc(nasty, entities=[("Ресей", "GPE", "Ресей")])
    aid = store.add(doc).id
    data = json.loads(store.get_json(aid))
    assert data == store.get(aid) and data["text"] == doc.text and data["id"] == aid


STORED = json.dumps({"schema": "derek.document/1", "text": "Ресей \"meta\": {}", "script": "cyrl",
                     "meta": {"published": "2024-01-02", "outlet": "old"}, "entities": [{"text": "Ресей"}]},
                    ensure_ascii=False)


@pytest.mark.parametrize("stored", [
    STORED,
    STORED.replace(", ", ",").replace(": ", ":"),  # compact separators
    json.dumps(json.loads(STORED), ensure_ascii=False, indent=2),  # newlines and indents
])
def test_splice_matches_decoding(stored):
    got = with_store_fields(stored, 7, "news.example.kz")
    want = json.loads(stored)
    want["id"] = 7
    want["meta"]["outlet"] = "news.example.kz"
    assert json.loads(got) == want and got.startswith('{"id": 7, ')


@pytest.mark.parametrize("stored", [
    '{"schema": "x", "text": "y"}',  # no meta: the general path adds it
    '{"meta": [1, 2]}',  # meta not an object
    '{"id": 3, "meta": {}}',  # an id already there: a duplicate key would be ambiguous
    '{"text": "a", "meta": {"v": NaN}}',  # get refuses NaN; so must this
    '{"text": "a" "meta": {}}',  # malformed
    '["meta", {}]',
    '',
])
def test_layouts_it_cannot_splice_go_to_the_general_path(stored):
    assert with_store_fields(stored, 1, "o") is None


def test_nan_or_unusual_layout_still_answers_through_the_general_path(store):
    from derek.store.models import Article
    from sqlalchemy import update

    aid = store.add(make_doc("Ресей туралы.", entities=[("Ресей", "GPE", "Ресей")])).id
    data = store.get(aid)
    del data["id"], data["meta"]["outlet"]
    moved = {"meta": data.pop("meta"), **data}  # meta first, compact: still spliced
    with store.session() as s:
        s.execute(update(Article).where(Article.id == aid).values(doc_json=json.dumps(moved, separators=(",", ":"))))
        s.commit()
    assert json.loads(store.get_json(aid)) == store.get(aid)
    no_meta = {k: v for k, v in data.items()}
    with store.session() as s:
        s.execute(update(Article).where(Article.id == aid).values(doc_json=json.dumps(no_meta)))
        s.commit()
    assert json.loads(store.get_json(aid)) == store.get(aid)
