"""The dilated-CNN network (derek/training/ner/conv_numpy.py): NumPy inference computes what the torch model
computes, sentences in one batch do not see each other, it loads into an ensemble, and
distillation from a BiLSTM-CRF teacher writes a loadable ensemble and lowers its loss.

Training needs torch (the `train` extra: pip install torch==2.13.0); those tests skip without it.
"""
import json
from pathlib import Path

import numpy as np
import pytest

from derek.ner.neural import Positions
from derek.ner.tagger import NerModelError, NerTagger, load_network
from tests.ner.test_neural import synthetic

SMALL = {"epochs": 6, "hidden": 16, "char_filters": 8, "batch": 8}
SENTS = [["Мария", "Иванова", "Ақтөбеде", "жұмыс", "істеді", "."], ["Кеше", "Таразда", "."], ["Асқар"]]


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A tiny ensemble (feature CRF + BiLSTM-CRF) and a tiny conv network started from it."""
    torch = pytest.importorskip("torch", reason="training needs torch (pip install torch==2.13.0)")
    from derek.ner.features import FeatureConfig
    from derek.training.ner import conv as C
    from derek.training.ner.neural import train_ensemble_dir

    tmp = tmp_path_factory.mktemp("conv")
    iob, clusters, capstats = synthetic(tmp)
    train_ensemble_dir(iob, tmp / "ens", clusters, capstats, None, FeatureConfig(), {"max_iterations": 30}, 0.35,
                       [{"name": "neural", **SMALL}], log=lambda *_: None)
    kept = []
    export = C.export
    C.export = lambda model, *a, **k: (kept.append(model), export(model, *a, **k))[1]
    try:
        C.train(iob, tmp / "conv", tmp / "ens", None,
                {**C.HP, "epochs": 12, "hidden": 16, "char_filters": 8, "batch": 8, "dilations": "1,2"},
                log=lambda *_, **__: None)
    finally:
        C.export = export
    (tmp / "conv" / "capstats.tsv").write_bytes((tmp / "ens" / "capstats.tsv").read_bytes())
    return {"tmp": tmp, "iob": iob, "model": kept[-1].eval(), "torch": torch}


def test_numpy_conv_matches_torch_and_learns(trained):
    from derek.training.ner import neural as T
    from derek.training.ner.data import read_iob

    torch, tmp = trained["torch"], trained["tmp"]
    net = load_network(tmp / "conv", "conv", None)
    assert type(net).__name__ == "ConvNer" and net.dilations == [1, 2]
    enc = net.enc
    with torch.no_grad():
        em = trained["model"].emissions(T.tensorize([([enc.encode(w) for w in s], [0] * len(s)) for s in SENTS])).numpy()
    got = net.emissions(SENTS)  # longest first, padded
    for i, s in enumerate(SENTS):
        assert np.abs(em[i, :len(s)] - got[i, :len(s)]).max() < 1e-4
    # a sentence's scores do not depend on its batch neighbours (the zero gaps between them)
    alone = [net.token_emissions([s], Positions([len(s)])) for s in SENTS]
    assert all(np.allclose(a, got[i, :len(s)], atol=1e-5) for i, (a, s) in enumerate(zip(alone, SENTS)))
    tag_id = {t: i for i, t in enumerate(net.tags)}
    encoded = [([enc.encode(w) for w in ws], [tag_id[t] for t in tg]) for ws, tg in read_iob(trained["iob"])]
    assert T.evaluate(trained["model"], encoded, net.tags) > 0.95
    assert net.tag_words(["Гүлнар", "Сейітова", "Таразда", "болды", "."])[:3] == ["B-PERSON", "I-PERSON", "B-GPE"]


def test_distilled_ensemble_loads_and_loss_falls(trained):
    from derek.training.ner import distil

    tmp = trained["tmp"]
    hist = distil.train(trained["iob"], tmp / "dist", tmp / "ens", tmp / "conv", None, 0, trained["iob"], 3, 2e-3,
                        {"dropout": 0.0, "inner_dropout": 0.0}, log=lambda *_: None)["history"]
    assert hist[-1]["mse"] < hist[0]["mse"]
    assert hist[-1]["test_f1"] > 0.95
    meta = json.loads((tmp / "dist" / "epoch3" / "config.json").read_text(encoding="utf-8"))
    assert meta["engine"] == "ensemble" and meta["neural_models"] == ["conv"]
    tagger = NerTagger.load(tmp / "dist" / "epoch3")
    assert type(tagger.engine.neural).__name__ == "ConvNer"
    # the student decodes with the teacher network's transitions
    teacher = NerTagger.load(tmp / "ens").engine.neural
    assert np.allclose(tagger.engine.neural.w["crf_trans"], teacher.w["crf_trans"])
    assert tagger.entities(["Ерлан", "Жақсыбеков", "Шымкентте", "сөйледі", "."]) == [(0, 2, "PERSON"), (2, 3, "GPE")]


def test_fresh_student_with_a_wider_window_and_local_units(trained):
    """Window 5 and units that skip the dilated layers: NumPy still computes what torch does;
    the student starts from the teacher's token vectors."""
    from derek.training.ner import distil
    from derek.training.ner import neural as T

    torch, tmp = trained["torch"], trained["tmp"]
    kept = []
    export = distil.export
    distil.export = lambda model, *a, **k: (kept.append(model), export(model, *a, **k))[1]
    try:
        hp = {"dropout": 0.0, "inner_dropout": 0.0, "hidden": 8, "dilations": "2", "window": 5, "local": 6}
        distil.train(trained["iob"], tmp / "fresh", tmp / "ens", tmp / "ens", None, 0, None, 2, 2e-3, hp,
                     log=lambda *_: None)
    finally:
        distil.export = export
    net = load_network(tmp / "fresh" / "student", "conv", None)
    assert (net.radius, net.hidden, net.width, net.gap) == (2, 8, 14, 2)
    with np.load(tmp / "ens" / "neural.npz") as z, np.load(tmp / "fresh" / "student" / "conv.npz") as c:
        assert z["char_emb"].shape == c["char_emb"].shape  # the teacher's character table, trained on
    enc, model = net.enc, kept[-1].eval()
    with torch.no_grad():
        em = model.emissions(T.tensorize([([enc.encode(w) for w in s], [0] * len(s)) for s in SENTS])).numpy()
    got = net.emissions(SENTS)
    for i, s in enumerate(SENTS):
        assert np.abs(em[i, :len(s)] - got[i, :len(s)]).max() < 1e-4


def test_unknown_network_kind_is_a_model_error(tmp_path: Path):
    (tmp_path / "x.json").write_text(json.dumps({"kind": "transformer"}), encoding="utf-8")
    with pytest.raises(NerModelError, match="unknown network kind 'transformer'"):
        load_network(tmp_path, "x", None)


def test_type_table_zero_row_reads_zeros_and_survives_growth():
    from derek.ner.neural import TypeTable

    table = TypeTable(lambda new: np.ones((len(new), 3), dtype=np.float32), max_rows=10)
    ids = table.row_ids(["a", "b", "a"])
    assert ids.tolist() == [0, 1, 0]
    zero = table.zero_row()
    assert zero == 2 and not table.data[zero].any() and table.data[ids].all()
    table.data = table.data[:2]  # a full table: the zero row is added, not borrowed from a word
    assert table.zero_row() == 2 and len(table.data) == 3 and not table.data[2].any()
    table.row_ids(["c"])  # the next word takes that row: zero_row is valid until then
    assert table.data[2].all()


def test_joint_fine_tune_of_a_conv_ensemble(trained):
    """derek/training/ner/joint.py takes a conv ensemble too: epoch 0 reproduces its score and
    the result loads as a conv ensemble."""
    from derek.training.ner import distil, joint
    from derek.training.ner.train import evaluate_dir

    tmp = trained["tmp"]
    ens = tmp / "dist_j" / "epoch1"
    if not ens.is_dir():
        distil.train(trained["iob"], tmp / "dist_j", tmp / "ens", tmp / "conv", None, 0, None, 1, 2e-3,
                     {"dropout": 0.0, "inner_dropout": 0.0}, log=lambda *_: None)
    before = evaluate_dir(ens, trained["iob"])["micro"]["f1"]
    hist = joint.train(trained["iob"], tmp / "joint", ens, trained["iob"], joint.net_hp(ens), 1, 2e-4,
                       log=lambda *_: None)["history"]
    assert hist[0]["epoch"] == 0 and abs(hist[0]["test_f1"] - round(before, 4)) < 1e-4
    tagger = NerTagger.load(tmp / "joint" / "epoch1")
    assert type(tagger.engine.neural).__name__ == "ConvNer"
    assert tagger.entities(["Ерлан", "Жақсыбеков", "Шымкентте", "сөйледі", "."]) == [(0, 2, "PERSON"), (2, 3, "GPE")]
