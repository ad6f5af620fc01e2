"""Joint training of the ensemble's experts (derek/training/ner/joint.py): a warm start
reproduces the ensemble's potentials, and what it exports is what EnsembleNer computes.

Needs torch (the training extra); skipped without it.
"""
import numpy as np
import pytest

from derek.ner.tagger import NerTagger
from tests.ner.test_neural import synthetic

torch = pytest.importorskip("torch", reason="training needs torch (pip install torch==2.13.0)")

SENTENCES = [["Гүлнар", "Сейітова", "Таразда", "болды", "."], ["Кеше", "Астанада", "Мария", "сөйледі", "."],
             ["Ерлан"], ["Асқар", "Иванова", "жұмыс", "Шымкентте", "істеді", "кеше", "."]]


@pytest.fixture(scope="module")
def tiny_ensemble(tmp_path_factory):
    from derek.ner.features import FeatureConfig
    from derek.training.ner.neural import train_ensemble_dir

    tmp = tmp_path_factory.mktemp("joint")
    iob, clusters, capstats = synthetic(tmp)
    small = {"name": "neural", "epochs": 3, "hidden": 16, "char_filters": 8, "batch": 8}
    train_ensemble_dir(iob, tmp / "e", clusters, capstats, None, FeatureConfig(bigrams=True, sentence_position=True),
                       {"max_iterations": 20}, 0.35, [small], log=lambda *_: None)
    return tmp, iob


def _torch_potentials(model, enc, sentences):
    from derek.training.ner import joint

    items = enc.encode([(s, ["O"] * len(s)) for s in sentences])
    model.eval()
    with torch.no_grad():
        em = model.emissions(joint.make_batch(items)).numpy()
        trans, start, end = (x.numpy() for x in model.potentials())
    return em, trans, start, end


def _ensemble_potentials(model_dir, sentences):
    eng = NerTagger.load(model_dir).engine
    return eng.potentials(sentences)


def _mask(sentences):
    return np.array([[j < len(s) for j in range(len(sentences[0]))] for s in sentences])


def test_warm_start_reproduces_the_ensemble(tiny_ensemble):
    from derek.training.ner import joint

    tmp, _ = tiny_ensemble
    d = tmp / "e"
    model, enc, _ = joint.build(d, False, joint.net_hp(d), 0)
    batch = sorted(SENTENCES, key=len, reverse=True)  # the engine's order: longest first
    got, want = _torch_potentials(model, enc, batch), _ensemble_potentials(d, batch)
    m = _mask(batch)
    assert np.abs(got[0] - want[0])[m].max() < 1e-4
    for g, w in zip(got[1:], want[1:]):
        assert np.abs(g - w).max() < 1e-5
    assert np.abs(want[0][m]).max() > 0.1  # a non-trivial model, not all zeros


def test_joint_export_is_what_the_ensemble_computes(tiny_ensemble):
    """Train jointly (network from scratch, sparse layer from zero with L2), export, load
    with the shipped inference code: the same emissions and tags as the torch model."""
    from derek.training.ner import joint

    tmp, iob = tiny_ensemble
    d = tmp / "e"
    vectors = tmp / "clusters.tsv.emb.npy"
    hist = joint.train(iob, tmp / "j", d, iob, joint.net_hp(d), 3, 1e-2, scratch=True, seed=0,
                       log=lambda *_: None, vectors=vectors, sparse_init="zero", l2=0.1)["history"]
    assert hist[-1]["test_f1"] > 0.9  # it learns the synthetic data
    out = tmp / "j" / "epoch3"
    model, enc, _ = joint.build(d, True, joint.net_hp(d), 0, vectors, "zero")
    # the exported weights loaded back into torch (word vectors are stored as float16)
    model.net.load_state_dict(joint.load_net(out, "neural", joint.net_hp(d))[0].state_dict())
    with np.load(out / "crf_weights.npz") as z:
        model.sparse.weight.data = torch.tensor(z["weights"])
        model.crf_trans.data = torch.tensor(z["transitions"])
    batch = sorted(SENTENCES, key=len, reverse=True)
    got, want = _torch_potentials(model, enc, batch), _ensemble_potentials(out, batch)
    m = _mask(batch)
    assert np.abs(got[0] - want[0])[m].max() < 1e-3
    for g, w in zip(got[1:], want[1:]):
        assert np.abs(g - w).max() < 1e-4
    tagger = NerTagger.load(out)
    pred = joint.predict(model, enc.encode([(s, ["O"] * len(s)) for s in batch]))
    assert tagger.tag_sentences(batch) == [[enc.tags[k] for k in p] for p in pred]
    assert tagger.entities(["Ерлан", "Жақсыбеков", "Шымкентте", "сөйледі", "."]) == [(0, 2, "PERSON"), (2, 3, "GPE")]


def test_training_is_reproducible(tiny_ensemble):
    from derek.training.ner import joint

    tmp, iob = tiny_ensemble
    d = tmp / "e"
    runs = [joint.train(iob, tmp / f"r{k}", d, iob, joint.net_hp(d), 1, 5e-3, log=lambda *_: None)["history"]
            for k in range(2)]
    assert runs[0] == runs[1] and runs[0][0]["epoch"] == 0  # warm start: epoch 0 is scored
    with np.load(tmp / "r0" / "epoch1" / "crf_weights.npz") as a, np.load(tmp / "r1" / "epoch1" / "crf_weights.npz") as b:
        assert np.array_equal(a["weights"], b["weights"])


def test_cli_fine_tune(tiny_ensemble):
    import json
    import subprocess
    import sys

    tmp, iob = tiny_ensemble
    cli = [sys.executable, "-c", "from derek.cli import main; main()", "train", "ner", "--train", str(iob),
           "--dev", str(iob), "--out", str(tmp / "ft")]
    r = subprocess.run(cli + ["--fine-tune", str(tmp / "e"), "--epochs", "1"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    meta = json.loads((tmp / "ft" / "config.json").read_text(encoding="utf-8"))
    assert meta["joint"]["epoch"] == 1 and meta["dev"]["micro_f1"] > 0.9
    assert NerTagger.load(tmp / "ft").tag_words(["Ерлан", "Жақсыбеков"]) == ["B-PERSON", "I-PERSON"]
    r = subprocess.run(cli + ["--fine-tune", str(tmp)], capture_output=True, text=True)  # not a model
    assert r.returncode == 2 and "Traceback" not in r.stderr and "ensemble model directory" in r.stderr
