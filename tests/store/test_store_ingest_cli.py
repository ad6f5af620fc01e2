"""`derek ingest`, `search`, `facts`, `entities` end to end on our own small files
(SQLite in a temp folder; the real pipeline runs, assertions stay generic)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests_paths import NEWS_DEV, needs_news_dev  # noqa: F401  (helper below)

ARTICLE_1 = "Ресей мен Қазақстан\n\nРесейдің 20 компаниясы Алматыға көшті, деп хабарлайды Kazinform.\n"
ARTICLE_2 = "Астанада жаңа мектеп\n\nАстанада 2024 жылы жаңа мектеп ашылды.\n"
HTML = ("<html><head><title>Қытай мен сауда</title></head><body><article><h1>Қытай мен сауда</h1>"
        "<p>Қытаймен сауда көлемі 2023 жылы 31 млрд долларға жетті. Бұл жаңа рекорд деп аталды, "
        "өйткені бұрын мұндай көрсеткіш болмаған еді.</p></article></body></html>")


def derek(*args: str, db: str, env_extra=None) -> subprocess.CompletedProcess:
    env = {**os.environ, "DEREK_DB": db, "COLUMNS": "200"}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-c", "from derek.cli import main; main()", *args],
                          capture_output=True, text=True, env=env, timeout=300)


@pytest.fixture
def corpus_dir(tmp_path):
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    (d / "a.txt").write_text(ARTICLE_1, encoding="utf-8")
    (d / "sub" / "b.txt").write_text(ARTICLE_2, encoding="utf-8")
    (d / "c.html").write_text(HTML, encoding="utf-8")
    (d / "empty.txt").write_text("  \n", encoding="utf-8")
    (d / "ignored.bin").write_bytes(b"\x00\x01")
    records = [
        {"id": "r1", "url": "https://example.kz/news/1", "published": "2025-01-15T10:00:00Z",
         "text": "Ресейден келген делегация Астанада кездесу өткізді."},
        {"id": "r2", "html": "<html><body><article><p>Қазақстанның ЖІӨ өсімі 2024 жылы 4,8 пайыз болды. "
                             "Бұл туралы ұлттық статистика бюросы хабарлады.</p></article></body></html>"},
    ]
    lines = [json.dumps(r, ensure_ascii=False) for r in records] + ["{not json", '{"id": "r4"}', ""]
    (d / "feed.jsonl").write_text("\n".join(lines), encoding="utf-8")
    # sidecars describe the files of their own folder
    (d / "SOURCES.tsv").write_text("file\tsource\tdate\na.txt\thttps://www.news.example.kz/a\t2024-11-27\n",
                                   encoding="utf-8")
    (d / "sub" / "SOURCES.tsv").write_text("file\tsource\tdate\nb.txt\thttps://other.example.kz/b\t2024-02 (approximate)\n",
                                           encoding="utf-8")
    return d


def test_ingest_reports_per_file_errors_and_is_idempotent(tmp_path, corpus_dir):
    db = str(tmp_path / "store.sqlite")
    first = derek("ingest", "--quiet", str(corpus_dir), db=db)
    assert first.returncode == 1, first.stderr
    assert "added 5, already stored 0, failed 3" in first.stdout
    errors = [l for l in first.stderr.splitlines() if l.startswith("derek: ")]
    assert len(errors) == 3 and "Traceback" not in first.stderr
    assert any("empty.txt" in l and "empty" in l for l in errors)
    assert any("feed.jsonl:3" in l and "not valid JSON" in l for l in errors)
    assert any("feed.jsonl:4" in l and '"text" or "html"' in l for l in errors)

    again = derek("ingest", "--quiet", str(corpus_dir), db=db)
    assert "added 0, already stored 5, failed 3" in again.stdout

    from derek.store import Store

    with Store(db) as st:
        hits = st.search("Ресейдің")
        assert len(hits) == 2  # a.txt and the r1 record, through the lemmatizer
        by_outlet = {h["outlet"]: h for h in hits}
        assert by_outlet["news.example.kz"]["published"] == "2024-11-27"  # SOURCES.tsv sidecar
        assert by_outlet["example.kz"]["published"] == "2025-01-15"       # JSONL fields
        school = st.search("мектеп")[0]
        assert school["published"] == "2024-02"  # partial sidecar date kept for filters
        # …and given to the analysis as it is (meta.published may be partial since --published)
        assert st.get(school["id"])["meta"]["published"] == "2024-02"
        assert st.search("Қытай")[0]["headline"] == "Қытай мен сауда"  # HTML title


def test_missing_path_fails_after_the_rest(tmp_path, corpus_dir):
    db = str(tmp_path / "s.sqlite")
    res = derek("ingest", "--quiet", str(corpus_dir / "a.txt"), str(tmp_path / "nope.txt"), db=db)
    assert res.returncode == 1
    assert "added 1" in res.stdout and "nope.txt: no such file or folder" in res.stderr


def test_search_facts_entities_commands(tmp_path, corpus_dir):
    db = str(tmp_path / "s.sqlite")
    derek("ingest", "-q", str(corpus_dir), db=db)
    res = derek("search", "Ресейден", "--json", db=db)
    assert res.returncode == 0, res.stderr
    hits = [json.loads(l) for l in res.stdout.splitlines()]
    assert len(hits) == 2 and all(h["snippet"] for h in hits)
    table = derek("search", "Ресей", db=db)
    assert "2 article(s)" in table.stdout
    assert derek("search", "Ресей", "--since", "2025", "--json", db=db).stdout.count("\n") == 1
    none = derek("search", "пингвин", db=db)
    assert none.returncode == 0 and "no articles found" in none.stdout
    facts = derek("facts", "--indicator", "trade_turnover", "--json", db=db)
    assert facts.returncode == 0 and json.loads(facts.stdout)["reference"]
    ents = derek("entities", "--top", "5", db=db)
    assert ents.returncode == 0


def test_facts_entities_and_outlets_say_what_a_reader_means(tmp_path):
    """`derek facts` says "unknown outlet", never a file name; `derek entities` lists names
    unless numbers or dates are asked for; `derek search --outlet/--until` filter."""
    from derek.store import Store

    from docfactory import corpus, make_doc

    db = str(tmp_path / "s.sqlite")
    with Store(db) as st:
        for doc in corpus().values():
            st.add(doc)
        # a file with no URL and no agency: its outlet is unknown
        text = "Ресеймен сауда\n\nБыйыл екі елдің тауар айналымы 30 млрд теңгеден асты."
        unknown = make_doc(text, published="2024-12-01", source="inbox/028.txt",
                           entities=[("Ресей", "GPE", "Ресей"), ("екі", "CARDINAL", None)],
                           claims=[("Быйыл екі елдің тауар айналымы 30 млрд теңгеден асты", "kz_ru_trade_turnover",
                                    "30 млрд теңгеден", 30e9, "KZT", "2024", None)])
        st.add(unknown)
    facts = derek("facts", "--indicator", "trade_turnover", db=db)
    assert facts.returncode == 0 and "unknown outlet" in facts.stdout and "028.txt" not in facts.stdout
    assert "news.example.kz" in facts.stdout
    names = derek("entities", "--top", "20", db=db).stdout
    assert "Ресей" in names and "CARDINAL" not in names
    numbers = derek("entities", "--kind", "numbers", db=db).stdout
    assert "CARDINAL" in numbers and "GPE" not in numbers
    bad = derek("entities", "--kind", "planets", db=db)
    assert bad.returncode == 2 and "--kind must be one of" in bad.stderr
    hits = [json.loads(l) for l in derek("search", "--outlet", "www.news.example.kz", "--json", db=db).stdout.splitlines()]
    assert [h["outlet"] for h in hits] == ["news.example.kz"]
    until = [json.loads(l) for l in derek("search", "Ресей", "--until", "2024-06", "--json", db=db).stdout.splitlines()]
    assert [h["published"] for h in until] == ["2024-03-06"]


@pytest.mark.parametrize("args,message", [
    (("search", "Ресей", "--since", "yesterday"), "since must be YYYY"),
    (("search",), "give search words or a filter"),
    (("search", "Ресей", "--db", "mysql://x/y"), "unsupported database"),
    (("search", "Ресей", "--db", "postgresql://nobody:x@127.0.0.1:1/none"), "cannot open the store"),
    # a read command never creates a store: a mistyped --db is an error, not "no articles found"
    (("search", "Ресей"), "no store at"),
    (("facts", "--indicator", "trade_turnover"), "no store at"),
    (("entities",), "no store at"),
])
def test_user_errors_are_one_line_exit_2(tmp_path, args, message):
    res = derek(*args, db=str(tmp_path / "s.sqlite"))
    assert res.returncode == 2, (res.stdout, res.stderr)
    assert message in res.stderr and "Traceback" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "s.sqlite").exists()


@needs_news_dev
def test_news_dev_ingest_and_search(tmp_path):
    """Done-when check: ingest the shared dev articles; "Ресей" lists the KZ–RU ones."""
    db = str(tmp_path / "dev.sqlite")
    first = derek("ingest", "-q", str(NEWS_DEV), db=db)
    assert first.returncode == 0, first.stderr
    n = int(first.stdout.split("added ")[1].split(",")[0])
    assert n == len(list(NEWS_DEV.glob("*.txt")))
    assert "added 0," in derek("ingest", "-q", str(NEWS_DEV), db=db).stdout
    hits = [json.loads(l) for l in derek("search", "Ресей", "--json", "-n", "100", db=db).stdout.splitlines()]
    # every article that names Russia in any form (Ресей, Ресейдің, Ресейден…), and no other
    want = {p.name for p in NEWS_DEV.glob("*.txt") if "ресей" in p.read_text(encoding="utf-8").lower()}
    assert want and {Path(h["ext_id"]).name for h in hits} == want


def test_killed_ingest_leaves_no_half_article(tmp_path):
    """SIGKILL in the middle of an ingest: what was committed is whole (article, layers,
    index entry), nothing else is there, and the next run adds exactly the rest."""
    import signal
    import sqlite3
    import time

    words = ["Ресей", "Қазақстан", "Алматы", "мектеп", "сауда", "компания", "жоба", "Астана"]
    feed = tmp_path / "feed.jsonl"
    with feed.open("w", encoding="utf-8") as fh:
        for i in range(60):
            text = " ".join(f"{words[(i + k) % len(words)]} {i * 7 + k} млн теңге бөлінді." for k in range(25))
            fh.write(json.dumps({"id": f"n{i}", "published": "2024-05-01", "text": text}, ensure_ascii=False) + "\n")
    db = tmp_path / "k.sqlite"
    env = {**os.environ, "DEREK_DB": str(db)}
    proc = subprocess.Popen([sys.executable, "-c", "from derek.cli import main; main()", "ingest", "-q", str(feed)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    n = 0
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
        try:
            with sqlite3.connect(db, timeout=1) as con:
                n = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        except sqlite3.Error:
            continue
        if n >= 3:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()

    from derek.store import Store

    with Store(str(db)) as st:
        with st.session() as s:
            from sqlalchemy import text

            stored = s.execute(text("SELECT count(*) FROM articles")).scalar()
            assert s.execute(text("SELECT count(*) FROM articles_fts")).scalar() == stored
            for aid, doc_json in s.execute(text("SELECT id, doc_json FROM articles")).all():
                layers = json.loads(doc_json)
                got = s.execute(text("SELECT count(*) FROM quantities WHERE article_id = :a"), {"a": aid}).scalar()
                assert got == len(layers["quantities"])
        assert 0 < stored < 60
    rest = derek("ingest", "-q", str(feed), db=str(db))
    assert f"added {60 - stored}, already stored {stored}, failed 0" in rest.stdout


def test_raw_articles_are_analysed_in_batches_and_stored_as_analyze_makes_them(tmp_path):
    """More raw articles than one analysis batch (derek.store.ingest_run.RAW_BATCH), with a
    repeat inside the run: each stored once, each exactly as derek.analyze makes it."""
    import derek as derek_pkg
    from derek.store import Store
    from derek.store.ingest_run import RAW_BATCH

    d = tmp_path / "many"
    d.mkdir()
    towns = ["Астанада", "Алматыда", "Шымкентте", "Ақтөбеде", "Қарағандыда", "Павлодарда", "Атырауда"]
    texts = [f"Жаңалық {i}\n\n{towns[i % len(towns)]} {i + 2} мектеп ашылды, деп хабарлайды Kazinform. "
             f"Ресей Федерациясының президенті Владимир Путин {2000 + i} жылы келді." for i in range(RAW_BATCH + 5)]
    for i, text in enumerate(texts):
        (d / f"{i:02d}.txt").write_text(text, encoding="utf-8")
    (d / "99_repeat.txt").write_text(texts[3], encoding="utf-8")
    db = str(tmp_path / "store.sqlite")
    r = derek("ingest", "--quiet", str(d), db=db)
    assert r.returncode == 0, r.stderr
    assert f"added {len(texts)}, already stored 1, failed 0" in r.stdout
    with Store(db) as st:
        assert st.count() == len(texts)
        last = st.search("Жаңалық", limit=500)
        stored = {h["headline"]: st.get(h["id"]) for h in last}
    want = derek_pkg.analyze(texts[-1])
    got = stored[f"Жаңалық {len(texts) - 1}"]
    assert [(e["text"], e["label"]) for e in got["entities"]] == [(e.text, e.label) for e in want.entities]
