"""The BiLSTM-CRF engine: NumPy inference computes what the torch model computes, a tiny
model trains on synthetic text, and the CLI/loader report problems in one line.

Training needs torch (the `train` extra: pip install torch==2.13.0); those tests skip without it.
"""
import itertools
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from derek.ner.neural import WordEncoder, clip_word
from derek.ner.tagger import NerModelError, NerTagger

PEOPLE = [("Асқар", "Омаров"), ("Гүлнар", "Сейітова"), ("Ерлан", "Жақсыбеков"), ("Мария", "Иванова")]
PLACES = ["Астанада", "Шымкентте", "Ақтөбеде", "Таразда"]
VERBS = ["сөйледі", "болды", "жұмыс", "істеді"]


def synthetic(tmp_path: Path) -> tuple[Path, Path, Path]:
    """An IOB2 file, a word-vector map (clusters.tsv + .emb.npy) and a capitalisation map."""
    lines = []
    for (first, last), place, verb in itertools.product(PEOPLE, PLACES, VERBS):
        lines += [f"{first} B-PERSON", f"{last} I-PERSON", f"{place} B-GPE", f"{verb} O", ". O", ""]
        lines += ["Кеше O", f"{place} B-GPE", f"{first} B-PERSON", f"{verb} O", ". O", ""]
    iob = tmp_path / "tiny.iob"
    iob.write_text("\n".join(lines), encoding="utf-8")
    vocab = sorted({w.lower() for ln in lines if ln for w in [ln.split()[0]]})
    clusters = tmp_path / "clusters.tsv"
    clusters.write_text("# word\tc64\n" + "\n".join(f"{w}\t0" for w in vocab) + "\n", encoding="utf-8")
    vecs = np.random.default_rng(0).normal(size=(len(vocab), 8)).astype(np.float32)
    np.save(str(clusters) + ".emb.npy", vecs / np.linalg.norm(vecs, axis=1, keepdims=True))
    capstats = tmp_path / "capstats.tsv"
    capstats.write_text("# word\tbucket\nасқар\t4\nболды\t0\n", encoding="utf-8")
    return iob, clusters, capstats


def test_word_encoder_ids():
    enc = WordEncoder(["астана", "0000"], list("астанАСТ"), ["Xx", "d"], {"астана": ("3",)})
    wid, chars, sid, cap = enc.encode("Астана")
    assert wid == 2 and sid == 2 and cap == 5  # ids 0/1 are PAD/UNK; bucket 3 -> 3 + 2
    assert chars[0] == enc.char_ids["А"] and len(chars) == 6
    assert enc.word_id("2024") == 3  # digits fall back to the zeroed form
    assert enc.encode("Қызылорда")[0] == 1 and enc.encode("Қызылорда")[3] == 1  # unknown: UNK
    assert clip_word("а" * 8 + "б" * 10 + "в" * 12) == "а" * 8 + "в" * 12


def test_loader_reports_incomplete_model(tmp_path):
    (tmp_path / "config.json").write_text(json.dumps({"engine": "neural"}), encoding="utf-8")
    with pytest.raises(NerModelError, match="neural.npz"):
        NerTagger.load(tmp_path)
    with pytest.raises(NerModelError, match="no NER model"):
        NerTagger.load(tmp_path / "missing")


def test_numpy_inference_matches_torch_and_tiny_model_learns(tmp_path):
    torch = pytest.importorskip("torch", reason="training needs torch (pip install torch==2.13.0)")
    from derek.training.ner import neural as T

    iob, clusters, capstats = synthetic(tmp_path)
    kept = []
    export = T.export
    T.export = lambda model, *a, **k: (kept.append(model), export(model, *a, **k))[1]
    try:
        meta = T.train_model_dir(iob, tmp_path / "m", clusters, capstats, iob,
                                 {"epochs": 8, "hidden": 16, "char_filters": 8, "batch": 8}, log=lambda *_: None)
    finally:
        T.export = export
    assert meta["dev"]["micro_f1"] > 0.95
    tagger = NerTagger.load(tmp_path / "m")
    assert tagger.engine is not None
    assert tagger.entities(["Гүлнар", "Сейітова", "Таразда", "болды", "."]) == [(0, 2, "PERSON"), (2, 3, "GPE")]
    # the NumPy forward pass is the torch one: same emissions on a batch of unequal lengths
    sents = [["Мария", "Иванова", "Ақтөбеде", "жұмыс", "істеді", "."], ["Кеше", "Таразда", "."], ["Асқар"]]
    enc, tag_id = tagger.engine.enc, {t: i for i, t in enumerate(tagger.engine.tags)}
    model = kept[-1].eval()
    with torch.no_grad():
        em = model.emissions(T.tensorize([([enc.encode(w) for w in s], [0] * len(s)) for s in sents])).numpy()
    got = tagger.engine.emissions(sents)  # longest first, as tag_sentences batches them
    for i, s in enumerate(sents):
        assert np.abs(em[i, :len(s)] - got[i, :len(s)]).max() < 1e-3
    assert tag_id["O"] == 0
    # the training loop's own scoring (torch emissions, NumPy Viterbi) agrees the model learned
    from derek.training.ner.data import read_iob

    encoded = [([enc.encode(w) for w in ws], [tag_id[t] for t in tg]) for ws, tg in read_iob(iob)]
    assert T.evaluate(model, encoded, tagger.engine.tags) > 0.95
    # batch tagging gives what one-by-one tagging gives
    assert tagger.tag_sentences(sents) == [tagger.tag_words(s) for s in sents]
    # reproducible: same data and settings, same weights
    T.train(iob, tmp_path / "m2", clusters, capstats, None,
            {**T.HP, "epochs": 8, "hidden": 16, "char_filters": 8, "batch": 8}, log=lambda *_: None)
    with np.load(tmp_path / "m" / "neural.npz") as a, np.load(tmp_path / "m2" / "neural.npz") as b:
        assert all(np.array_equal(a[k], b[k]) for k in a.files)


def test_cli_neural_training_needs_word_vectors(tmp_path):
    iob, clusters, _ = synthetic(tmp_path)
    Path(str(clusters) + ".emb.npy").unlink()
    r = subprocess.run([sys.executable, "-c", "from derek.cli import main; main()", "train", "ner", "--train", str(iob),
                        "--dev", str(iob), "--out", str(tmp_path / "o"), "--clusters", str(clusters)],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "word vectors" in r.stderr or "torch" in r.stderr


def test_numpy_crf_scores_what_crfsuite_scores(tmp_path):
    """The ensemble's NumPy CRF (own + neighbour + sentence features, cached per word type)
    decodes exactly what python-crfsuite decodes from the same weights."""
    from derek.ner.ensemble import CrfScorer
    from derek.training.ner.export import export_crf_weights
    from derek.ner.features import FeatureConfig
    from derek.training.ner.train import make_extractor, train

    iob, _, _ = synthetic(tmp_path)
    cfg = FeatureConfig(sentence_position=True, bigrams=True, org_context=True, quotes=True, window=2)
    train(iob, tmp_path / "crf", cfg, params={"max_iterations": 30, "c1": 0.0}, log=lambda *_: None)
    export_crf_weights(tmp_path / "crf")
    crf = NerTagger.load(tmp_path / "crf")
    tags = ["O", "B-PERSON", "I-PERSON", "B-GPE", "I-GPE", "B-ORGANISATION"]  # one the CRF never saw
    scorer = CrfScorer(tmp_path / "crf" / "crf_weights.npz", make_extractor(cfg, None), tags)
    sentences = [["Гүлнар", "Сейітова", "Таразда", "болды", "."], ["Кеше", "«", "Астанада", "»", "банкі", "."],
                 ["Мария"], ["Ерлан", "Омаров", "сөйледі"]]
    for words in sentences:
        em = scorer.emissions(words)
        # Viterbi over the NumPy potentials
        score, back = em[0].copy(), []
        for t in range(1, len(words)):
            cand = score[:, None] + scorer.trans
            back.append(cand.argmax(0))
            score = cand.max(0) + em[t]
        path = [int(score.argmax())]
        for b in reversed(back):
            path.append(int(b[path[-1]]))
        assert [tags[k] for k in path[::-1]] == crf.tag_words(words)
    assert crf.tag_words(sentences[0])[:3] == ["B-PERSON", "I-PERSON", "B-GPE"]  # not a model of all-O


def test_tiny_ensemble_trains_and_loads(tmp_path):
    pytest.importorskip("torch", reason="training needs torch (pip install torch==2.13.0)")
    from derek.ner.features import FeatureConfig
    from derek.training.ner.neural import train_ensemble_dir

    iob, clusters, capstats = synthetic(tmp_path)
    small = {"epochs": 6, "hidden": 16, "char_filters": 8, "batch": 8}
    meta = train_ensemble_dir(iob, tmp_path / "e", clusters, capstats, iob, FeatureConfig(bigrams=True),
                              {"max_iterations": 30}, 0.4, [{"name": "neural", **small}, {"name": "neural_b", **small, "hidden": 8}],
                              log=lambda *_: None)
    assert meta["neural_models"] == ["neural", "neural_b"] and meta["dev"]["micro_f1"] > 0.95
    assert not (tmp_path / "e" / "model.crfsuite").exists()  # the ensemble reads crf_weights.npz
    tagger = NerTagger.load(tmp_path / "e")
    assert len(tagger.engine.nets) == 2
    assert tagger.entities(["Ерлан", "Жақсыбеков", "Шымкентте", "сөйледі", "."]) == [(0, 2, "PERSON"), (2, 3, "GPE")]
