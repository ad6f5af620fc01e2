"""Silver data for self-training (derek/training/ner/silver.py): tokenisation like the ner
stage's, the agreement filter, the deterministic budget cut, the CLI's one-line errors.
All text here is written for the test."""
import lzma
import subprocess
import sys

import pytest

from derek.training.ner import silver as sv
from derek.training.ner.data import read_iob

PARAGRAPH = ("Қасым-Жомарт Тоқаев 2024-жылы Астанада сөйледі. «Самұрық-Қазына» қоры АҚШ-қа "
             "15 %-ға барды! Ол т.б. елдерде болды.")


def test_sentences_split_and_tokenised_like_kaznerd():
    assert sv.sentences_of(PARAGRAPH) == [
        ["Қасым-Жомарт", "Тоқаев", "2024-жылы", "Астанада", "сөйледі", "."],
        ["«", "Самұрық-Қазына", "»", "қоры", "АҚШ-қа", "15", "%-ға", "барды", "!"],
        ["Ол", "т.б.", "елдерде", "болды", "."],
    ]


@pytest.mark.parametrize("words, ok", [
    (["Ерлан", "Астанада", "сөйледі", "."], True),
    (["«", "Болашақ", "»", "бағдарламасы", "ашылды", "."], True),
    (["және", "Астанада", "сөйледі", "."], False),        # starts mid-sentence
    (["Ерлан", "келді", "."], False),                     # too short
    (["Кесте", "12", "14", "15", "16", "17", "18"], False),  # mostly numbers
    (["Ол"] + ["сөз"] * 45, False),                       # too long
])
def test_usable(words, ok):
    assert sv.usable(words, sv.SilverConfig()) is ok


def test_agreement_keeps_exact_matches_only():
    sents = [["Ерлан", "Астанада", "сөйледі", "."], ["Гүлнар", "Таразда", "болды", "."], ["Бүгін", "жаңбыр", "жауды", "."]]
    crf = [["B-PERSON", "B-GPE", "O", "O"], ["B-PERSON", "B-GPE", "O", "O"], ["O", "O", "O", "O"]]
    net = [["B-PERSON", "B-GPE", "O", "O"], ["B-PERSON", "B-LOCATION", "O", "O"], ["O", "O", "O", "O"]]
    keep_all = sv.agreement(sents, crf, net, sv.SilverConfig(empty_share=1.0))
    assert keep_all == [(sents[0], crf[0]), (sents[2], crf[2])]  # the second: GPE against LOCATION
    # entity-free agreeing sentences: none kept at share 0
    assert sv.agreement(sents, crf, net, sv.SilverConfig(empty_share=0.0)) == [(sents[0], crf[0])]


class FakeTeacher:
    """CRF says a capitalised non-initial word is a GPE; the network agrees except on words in «»."""

    def tag(self, sentences):
        crf = [["B-GPE" if i and w[0].isupper() else "O" for i, w in enumerate(s)] for s in sentences]
        net = [["O" if i and "«" in s else t for i, t in enumerate(tags)] for s, tags in zip(sentences, crf)]
        return crf, net


def _corpus(tmp_path):
    lines = [f"Біз {place} бардық. Олар {place} қайтты. Бүгін күн жылы болды." for place in
             ("Астанаға", "Таразға", "Алматыға", "Шымкентке", "Ақтөбеге")]
    lines.append("«Алтын» кітабын Ерлан оқыды. Ерлан кітапты оқыды.")
    path = tmp_path / "tiny.txt.xz"
    with lzma.open(path, "wt", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    return path


def test_build_is_deterministic_and_respects_the_budget(tmp_path):
    path = _corpus(tmp_path)
    cfg = sv.SilverConfig(empty_share=0.0, tokens=1000)
    silver, stats = sv.build([path], FakeTeacher(), cfg, log=lambda *_: None)
    # 5 x 2 place sentences agree and have an entity; "«Алтын» ..." disagrees; entity-free dropped
    assert stats["sentences"] == 5 * 2 + 1 + 2  # "Бүгін күн жылы болды." once: duplicates are dropped
    assert len(silver) == stats["silver_sentences"] == 10
    assert all(any(t != "O" for t in tags) for _, tags in silver)
    assert not any("«" in words for words, _ in silver)
    again, _ = sv.build([path], FakeTeacher(), cfg, log=lambda *_: None)
    assert again == silver
    small, small_stats = sv.build([path], FakeTeacher(), sv.SilverConfig(empty_share=0.0, tokens=9),
                                  log=lambda *_: None)
    assert small_stats["silver_tokens"] <= 9 and len(small) == 2 and small == silver[:2]


def test_combined_file_reads_back(tmp_path):
    gold = tmp_path / "gold.txt"
    gold.write_text("Ерлан B-PERSON\nкелді O\n. O\n\n\n", encoding="utf-8")
    path = sv.combined_file(gold, [(["Тараз", "үлкен", "."], ["B-GPE", "O", "O"])], tmp_path)
    assert read_iob(path) == [(["Ерлан", "келді", "."], ["B-PERSON", "O", "O"]),
                              (["Тараз", "үлкен", "."], ["B-GPE", "O", "O"])]


def test_teacher_loads_both_experts_of_the_shipped_model():
    from derek.ner.tagger import default_model_dir

    crf, net = sv.Teacher(default_model_dir()).tag(sv.sentences_of(PARAGRAPH)[:1])
    assert crf[0][:2] == net[0][:2] == ["B-PERSON", "I-PERSON"]


def _cli(*args):
    return subprocess.run([sys.executable, "-c", "from derek.cli import main; main()", "train", "ner", *map(str, args)],
                          capture_output=True, text=True)


def test_cli_silver_errors_are_one_line(tmp_path):
    gold = tmp_path / "gold.txt"
    gold.write_text("Ерлан B-PERSON\nкелді O\n\n", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_text("Ерлан PERSON\n", encoding="utf-8")
    base = ["--train", gold, "--dev", gold, "--out", tmp_path / "o", "--engine", "crf"]
    for extra, words in ((["--silver", bad], "IOB2"),
                         (["--silver", gold, "--silver-corpus", tmp_path], "not both"),
                         (["--silver-corpus", tmp_path], "lacks the corpus files"),
                         (["--ensemble-with", tmp_path], "no model directory")):
        r = _cli(*base, *extra)
        assert r.returncode == 2, r.stderr
        assert r.stderr.count("\n") == 1 and words in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("words, tags, bad", [
    (["Біз", "Астанада", "болдық", "."], ["O", "O", "O", "O"], True),          # a missed name
    (["Біз", "Астанада", "болдық", "."], ["O", "B-GPE", "O", "O"], False),
    (["Ол", "«", "Ертегі", "»", "оқыды", "."], ["O"] * 6, False),              # capital after a quote
    (["Бүгін", "жаңбыр", "жауды", "."], ["O"] * 4, False),                     # sentence-initial capital
])
def test_suspicious_capitalised_o(words, tags, bad):
    assert sv.suspicious(words, tags) is bad


def test_agreement_drops_suspicious_sentences():
    words = ["Біз", "Астанада", "болдық", "."]
    assert sv.agreement([words], [["O"] * 4], [["O"] * 4], sv.SilverConfig(empty_share=1.0)) == []


def test_balanced_follows_the_gold_class_mix():
    gold = [(["Ерлан", "келді", "."], ["B-PERSON", "O", "O"]),
            (["Банк", "ашылды", "."], ["B-ORGANISATION", "O", "O"])]  # 6 gold tokens: 1 PERSON, 1 ORG
    person = [(["Асқар", "келді", "."], ["B-PERSON", "O", "O"])] * 3
    org = [(["Қор", "ашылды", "."], ["B-ORGANISATION", "O", "O"])] * 3
    empty = [(["Күн", "жылы", "."], ["O", "O", "O"])]
    # budget 12 tokens = twice the gold: 2 PERSON, 2 ORG, no entity-free sentence (gold has none)
    out = sv.balanced(person + empty + org, gold, 12)
    assert out == person[:2] + org[:2]


def test_cli_silver_ensemble_end_to_end(tmp_path):
    """--silver with --ensemble-with: the new CRF joins the shipped network in a loadable
    ensemble directory; names.tsv comes from the gold file only; config.json records the silver."""
    import json

    from derek.ner.tagger import NerTagger

    gold, silver = tmp_path / "gold.txt", tmp_path / "silver.txt"
    gold.write_text("".join(f"{p} B-PERSON\nкелді O\n. O\n\n" for p in ("Ерлан", "Гүлнар", "Ерлан", "Гүлнар")),
                    encoding="utf-8")
    silver.write_text("".join(f"Бүгін O\n{p} B-GPE\nбардық O\n. O\n\n" for p in ("Таразға", "Таразға")),
                      encoding="utf-8")
    out = tmp_path / "m"
    r = _cli("--train", gold, "--dev", gold, "--out", out, "--engine", "crf", "--max-iterations", "5",
             "--silver", silver, "--ensemble-with", "derek/ner/model")
    assert r.returncode == 0, r.stderr
    meta = json.loads((out / "config.json").read_text(encoding="utf-8"))
    assert meta["engine"] == "ensemble" and meta["train_tokens"] == 12 + 8
    assert meta["silver"] == {"file": "silver.txt", "silver_sentences": 2, "silver_tokens": 8}
    assert not (out / "model.crfsuite").exists() and (out / "crf_weights.npz").is_file()
    names = (out / "names.tsv").read_text(encoding="utf-8")
    assert "PERSON" in names and "GPE" not in names
    assert len(NerTagger.load(out).tag_words(["Ерлан", "келді", "."])) == 3
