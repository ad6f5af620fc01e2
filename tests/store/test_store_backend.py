"""The store on SQLite and PostgreSQL: round trip of every layer, idempotence, atomicity,
search through the lemmatizer (cases in tests/data/store_search_cases.tsv), filters,
entities, timelines."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from derek.doc import Document
from derek.schema import validate_document
from derek.store.store import document_from_dict
from docfactory import UNIT_ERROR_VERDICT, corpus, make_doc
from store_fixtures import filled, pg_url, store, store_url  # noqa: F401  (fixtures)

CASES = Path(__file__).resolve().parents[1] / "data" / "store_search_cases.tsv"


def _cases():
    for n, line in enumerate(CASES.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        query, filters, expected = line.split("\t")
        kw = dict(f.split("=", 1) for f in filters.split(";") if f)
        want = set() if expected.strip() == "-" else set(expected.split())
        yield pytest.param(query, kw, want, id=f"{n}:{query or '-'}:{filters}")


def test_every_layer_round_trips(filled):
    store, ids = filled
    for key, doc in corpus().items():
        data = store.get(ids[key])
        assert data["id"] == ids[key]
        validate_document({k: v for k, v in data.items() if k not in ("id",)})
        back = document_from_dict(data)
        want = doc.to_dict()
        got = back.to_dict()
        got["meta"].pop("outlet", None)
        assert got == want, key


def test_claim_verdict_is_queryable(filled):
    store, ids = filled
    tl = store.timeline("trade_turnover")
    assert [c["article_id"] for c in tl["claims"]] == [ids["kz_ru_trade"]]
    c = tl["claims"][0]
    assert (c["status"], c["diagnosis"], c["value"], c["unit"]) == ("inconsistent", "unit_error", 30e9, "KZT")
    assert c["verdict"] == UNIT_ERROR_VERDICT
    assert c["outlet"] == "news.example.kz"
    # the reference series comes from the claims stage's table, with its sources
    # ("trade_turnover" names every series ending so: the table now has KZ–China, –Uzbekistan… too)
    assert tl["reference"] and all(r["indicator"].endswith("trade_turnover") for r in tl["reference"])
    assert any(r["indicator"] == "kz_ru_trade_turnover" for r in tl["reference"])
    assert all(r["source"] for r in tl["reference"])


def test_adding_the_same_text_twice_adds_nothing(store):
    doc = corpus()["school"]
    first = store.add(doc)
    again = store.add(document_from_dict(doc.to_dict()), ext_id="other-name")
    assert first.added and not again.added and again.id == first.id
    assert store.count() == 1
    assert len(store.search("мектеп")) == 1


def test_a_failing_article_leaves_nothing_behind(store):
    store.add(corpus()["school"])
    bad = corpus()["kz_cn_trade"]
    bad.entities[0].label = None  # NOT NULL: the layer insert fails after the article row
    with pytest.raises(Exception):
        store.add(bad)
    assert store.count() == 1
    assert store.search("Қытай") == []
    with store.session() as s:
        assert s.execute(text("SELECT count(*) FROM entities")).scalar() == 1


@pytest.mark.parametrize("query,filters,want", list(_cases()))
def test_search_cases(filled, query, filters, want):
    store, ids = filled
    names = {v: k for k, v in ids.items()}
    hits = store.search(query or None, **filters)
    assert {names[h["id"]] for h in hits} == want


def test_hits_carry_a_snippet_with_the_match(filled):
    store, ids = filled
    hits = store.search("Ресейден")
    by_id = {h["id"]: h for h in hits}
    h = by_id[ids["ru_companies"]]
    a, b = h["match"]
    assert h["snippet"][a:b].lower().startswith("ресей")
    assert h["headline"] == "Ресейдің компаниялары Алматыға көшіп жатыр"


def test_search_ranks_and_limits(filled):
    store, _ = filled
    assert len(store.search("Қазақстан", limit=1)) == 1
    assert len(store.search("Қазақстан", limit=1, offset=1)) == 1
    assert store.search("Қазақстан", limit=1)[0]["id"] != store.search("Қазақстан", limit=1, offset=1)[0]["id"]


def test_bad_query_parameters_are_one_line_errors(filled):
    from derek.store import QueryError

    store, _ = filled
    with pytest.raises(QueryError, match="since must be"):
        store.search("Ресей", since="last year")
    with pytest.raises(QueryError, match="no words"):
        store.search("«» — !")


def test_query_syntax_is_not_interpreted(filled):
    store, _ = filled
    # FTS5/tsquery operators and quotes in user input are plain words, never syntax
    for q in ['Ресей" OR "мектеп', "Ресей & !мектеп", "NEAR(Ресей мектеп)", "Ресей*", "'; DROP TABLE articles; --"]:
        store.search(q)
    assert store.count() == 4


def test_top_entities_and_entity_page(filled):
    store, ids = filled
    top = store.top_entities(3)
    assert top[0]["name"] in ("Ресей", "Қазақстан") and top[0]["articles"] == 2
    assert {t["name"] for t in top[:2]} == {"Ресей", "Қазақстан"}
    assert [t["name"] for t in store.top_entities(10, label="PERSON")] == ["Асқар Бекұлы", "Серік Жұманов"]
    page = store.entity("Ресейдің")
    assert page["canonical"] == "Ресей" and page["mentions"] == 3 and page["labels"] == {"GPE": 3}
    assert {a["id"] for a in page["articles"]} == {ids["kz_ru_trade"], ids["ru_companies"]}
    speaker = store.entity("Серік Жұманов")
    assert speaker["quotes"] and speaker["quotes"][0]["article_id"] == ids["ru_companies"]
    assert store.entity("Жапония") is None


def test_delete_removes_article_layers_and_index(filled):
    store, ids = filled
    assert store.delete(ids["school"])
    assert store.search("мектеп") == [] and store.get(ids["school"]) is None
    with store.session() as s:
        assert s.execute(text("SELECT count(*) FROM quantities WHERE article_id = :i"), {"i": ids["school"]}).scalar() == 0
    assert not store.delete(ids["school"])


def test_outlet_comes_from_url_then_agency(filled):
    store, ids = filled
    assert store.get(ids["kz_ru_trade"])["meta"]["outlet"] == "news.example.kz"
    assert store.get(ids["kz_cn_trade"])["meta"]["outlet"] == "Kazinform"


def test_a_file_name_is_no_outlet(store):
    """An article with neither a URL nor an agency has no known outlet (None), not its file
    name: `derek facts` printed "028.txt" as an outlet."""
    aid = store.add(make_doc("Астанада жаңа мектеп ашылды.", source="../news/028.txt")).id
    assert store.get(aid)["meta"]["outlet"] is None
    assert store.search("мектеп")[0]["outlet"] is None


@pytest.mark.parametrize("given,kept", [
    ("https://www.Kazinform.kz/news/1", "kazinform.kz"), ("kazinform.kz", "kazinform.kz"),
    ("WWW.KAZINFORM.KZ/news", "kazinform.kz"), ("Kazinform", "Kazinform"), ("  ", None)])
def test_outlet_names_are_normalised_like_stored_outlets(given, kept):
    from derek.store.store import outlet_name

    assert outlet_name(given) == kept


@pytest.mark.parametrize("filters,expected", [
    ({"outlet": "news.example.kz"}, {"kz_ru_trade"}),
    ({"outlet": "https://other.example.kz/b/2"}, {"ru_companies"}),
    ({"outlet": "Kazinform"}, {"kz_cn_trade"}),
    ({"outlet": "nowhere.kz"}, set()),
    ({"q": "Ресей", "outlet": "other.example.kz"}, {"ru_companies"}),
    ({"q": "Қазақстан", "outlet": "news.example.kz", "since": "2024-11"}, {"kz_ru_trade"}),
    ({"q": "Қазақстан", "outlet": "news.example.kz", "until": "2024-10"}, set()),
    ({"entity": "Ресей", "outlet": "news.example.kz"}, {"kz_ru_trade"}),
])
def test_search_filters_by_outlet(filled, filters, expected):
    store, ids = filled
    by_id = {v: k for k, v in ids.items()}
    q = filters.pop("q", None)
    assert {by_id[h["id"]] for h in store.search(q, **filters)} == expected


def test_entity_lists_default_to_names_and_numbers_have_their_own(store):
    doc = make_doc("Екі мың адам Астанада жиналды. Оны Серік Жұманов айтты. Екі күн бойы.", entities=[
        ("Екі мың", "CARDINAL", None), ("Астанада", "GPE", "Астана"), ("Серік Жұманов", "PERSON", "Серік Жұманов"),
        ("Екі күн", "DATE", None)])
    store.add(doc)
    labels = lambda rows: {r["label"] for r in rows}  # noqa: E731
    assert labels(store.top_entities(10)) == {"GPE", "PERSON"}
    assert labels(store.top_entities(10, kind="numbers")) == {"CARDINAL"}
    assert labels(store.top_entities(10, kind="dates")) == {"DATE"}
    assert labels(store.top_entities(10, kind="all")) == {"GPE", "PERSON", "CARDINAL", "DATE"}
    assert labels(store.top_entities(10, label="cardinal")) == {"CARDINAL"}  # a label wins over the kind
    assert store.entity("Екі мың") is None
    assert store.entity("Екі мың", kind="numbers")["labels"] == {"CARDINAL": 1}
    assert store.entity("Астанадағы")["labels"] == {"GPE": 1}
    from derek.store import QueryError

    with pytest.raises(QueryError, match="kind must be one of"):
        store.top_entities(5, kind="planets")


def test_migration_0004_clears_outlets_that_were_file_names(store_url):
    from alembic import command
    from alembic.config import Config

    from derek.store import Store, db

    with Store(store_url) as st:
        keep = st.add(corpus()["kz_ru_trade"]).id
        agency = st.add(corpus()["kz_cn_trade"]).id
        named = st.add(make_doc("Астанада жаңа мектеп ашылды.", source="corpus/028.txt")).id
        with st.engine.begin() as conn:  # the old rule's outlet, and the schema before 0004
            conn.execute(text("UPDATE articles SET outlet = '028.txt' WHERE id = :i"), {"i": named})
            cfg = Config()
            cfg.set_main_option("script_location", str(db.MIGRATIONS))
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0003")
    with Store(store_url) as st:
        assert db.current_revision(st.engine) == db.HEAD
        assert st.get(named)["meta"]["outlet"] is None
        assert st.get(keep)["meta"]["outlet"] == "news.example.kz"
        assert st.get(agency)["meta"]["outlet"] == "Kazinform"


def test_untrusted_text_is_stored_verbatim(store):
    nasty = "<script>alert(1)</script> Ресей \x00? '; DROP TABLE articles; -- \u202e"
    doc = make_doc(nasty.replace("\x00", ""), entities=[("Ресей", "GPE", "Ресей")])
    aid = store.add(doc).id
    assert store.get(aid)["text"] == doc.text
    assert [h["id"] for h in store.search("Ресей")] == [aid]


def test_reopening_migrates_once_and_keeps_data(store_url):
    from derek.store import Store, db

    with Store(store_url) as st:
        st.add(corpus()["school"])
    with Store(store_url) as st:
        assert st.count() == 1
        with st.session() as s:
            assert s.execute(text("SELECT version_num FROM alembic_version")).scalar() == db.HEAD
            if st.dialect == "sqlite":
                assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_latin_script_article_is_found_by_cyrillic_words(store):
    """A Latin-script article is indexed through its Cyrillic analysis form, also when it
    arrives as JSON (e.g. from `derek batch`), whose rebuilt view is the identity."""
    import derek
    from derek.store.store import document_from_dict

    doc = derek.analyze("Qazaqstan men Reseı arasyndaǵy taýar aınalymy ósti.")
    if doc.script == "cyrl":
        pytest.skip("the text layer does not transliterate Latin input yet")
    aid = store.add(document_from_dict(doc.to_dict())).id
    assert [h["id"] for h in store.search("Ресейдің")] == [aid]
    assert [h["id"] for h in store.search("тауар айналымы")] == [aid]


def test_head_constant_matches_the_migrations():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from derek.store import db

    cfg = Config()
    cfg.set_main_option("script_location", str(db.MIGRATIONS))
    assert ScriptDirectory.from_config(cfg).get_current_head() == db.HEAD


def test_an_old_schema_is_upgraded_in_place(store_url):
    """A store left at revision 0001 (before the stored tsvector) upgrades on open."""
    from alembic import command
    from alembic.config import Config

    from derek.store import Store, db

    engine = db.create(store_url)
    cfg = Config()
    cfg.set_main_option("script_location", str(db.MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    engine.dispose()
    with Store(store_url) as st:
        assert db.current_revision(st.engine) == db.HEAD
        st.add(corpus()["school"])
        assert len(st.search("мектеп")) == 1
