"""The training code end to end on a tiny synthetic IOB2 file: trains, writes a loadable
model directory, is reproducible, and the CLI reports bad input in one line."""
import itertools
import json
import subprocess
import sys

from derek.ner.features import FeatureConfig
from derek.ner.tagger import NerTagger
from derek.training.ner.train import train

PEOPLE = [("Асқар", "Омаров"), ("Гүлнар", "Сейітова"), ("Ерлан", "Жақсыбеков"), ("Мария", "Иванова")]
PLACES = ["Астанада", "Шымкентте", "Ақтөбеде", "Таразда"]
VERBS = ["сөйледі", "болды", "жұмыс", "істеді"]


def synthetic_iob(path):
    lines = []
    for (first, last), place, verb in itertools.product(PEOPLE, PLACES, VERBS):
        lines += [f"{first} B-PERSON", f"{last} I-PERSON", f"{place} B-GPE", f"{verb} O", ". O", ""]
        lines += [f"Кеше {'O'}", f"{place} B-GPE", f"{first} B-PERSON", f"{verb} O", ". O", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def test_train_tiny_model(tmp_path):
    data = tmp_path / "tiny.txt"
    synthetic_iob(data)
    cfg = FeatureConfig(sentence_position=True, bigrams=True)
    meta = train(data, tmp_path / "m", cfg, dev_file=data, params={"max_iterations": 30}, log=lambda *_: None)
    assert meta["dev"]["micro_f1"] > 0.95
    tagger = NerTagger.load(tmp_path / "m")
    assert tagger.entities(["Гүлнар", "Сейітова", "Таразда", "болды", "."]) == [(0, 2, "PERSON"), (2, 3, "GPE")]
    # reproducible: same data and settings, same weights file
    train(data, tmp_path / "m2", cfg, params={"max_iterations": 30}, log=lambda *_: None)
    assert (tmp_path / "m" / "model.crfsuite").read_bytes() == (tmp_path / "m2" / "model.crfsuite").read_bytes()
    saved = json.loads((tmp_path / "m" / "config.json").read_text(encoding="utf-8"))
    assert saved["features"]["bigrams"] is True


def test_cli_train_rejects_bad_iob(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("Асқар PERSON\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-c", "from derek.cli import main; main()", "train", "ner", "--train", str(bad), "--dev", str(bad),
                        "--out", str(tmp_path / "o")], capture_output=True, text=True)
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "IOB2" in r.stderr and "Traceback" not in r.stderr
