"""Language-model states as NER input (derek/training/ner/lm.py, lm_ner.py; inference in
derek/ner/neural.py): the LM's targets, a warm start that reproduces the ensemble, and an
export whose NumPy forward pass (LM included) is what torch computes.

Needs torch (the training extra); skipped without it.
"""
import numpy as np
import pytest

from derek.ner.tagger import NerTagger
from tests.ner.test_joint import SENTENCES, _ensemble_potentials, _mask, tiny_ensemble  # noqa: F401

torch = pytest.importorskip("torch", reason="training needs torch (pip install torch==2.13.0)")


def test_targets_are_the_neighbours_clusters():
    from derek.training.ner.lm import BOUNDARY, reverse_padded, targets

    cl = torch.tensor([[5, 6, 7], [8, 9, 0]])
    lens = torch.tensor([3, 2])
    nxt, prv = targets(cl, lens)
    assert nxt.tolist() == [[6, 7, BOUNDARY], [9, BOUNDARY, -100]]
    assert prv.tolist() == [[BOUNDARY, 5, 6], [BOUNDARY, 8, -100]]
    x = torch.arange(6.0).view(2, 3, 1)
    assert reverse_padded(x, lens)[:, :, 0].tolist() == [[2, 1, 0], [4, 3, 5]]  # padding stays


def _random_lm(model_dir, path, hidden=6):
    from derek.training.ner.lm import BiLM, save, word_tables

    torch.manual_seed(3)
    lm = BiLM(word_tables(model_dir)[1], hidden, 0.2)
    with torch.no_grad():
        for p in lm.parameters():
            if p.requires_grad:
                p.normal_(0, 0.5)
    save(lm, path, {"hp": {"hidden": hidden, "dropout": 0.2}})
    return path


def _torch_potentials(model, lm, enc, sentences):
    from derek.training.ner import lm_ner

    items = enc.encode([(s, ["O"] * len(s)) for s in sentences])
    items = [x + (h,) for x, h in zip(items, lm_ner.lm_states(lm, items))]
    model.eval()
    with torch.no_grad():
        em = model.emissions(lm_ner.make_batch(items)).numpy()
        trans, start, end = (x.numpy() for x in model.potentials())
    return em, trans, start, end


@pytest.mark.parametrize("mode", ["input", "output"])
def test_warm_start_then_export_matches_numpy(tiny_ensemble, tmp_path, mode):  # noqa: F811
    from derek.training.ner import joint, lm_ner
    from derek.training.ner.lm import load

    tmp, iob = tiny_ensemble
    d = tmp / "e"
    lm_path = _random_lm(d, tmp_path / "lm.pt")
    hp = joint.net_hp(d)
    batch = sorted(SENTENCES, key=len, reverse=True)
    m = _mask(batch)
    # epoch 0: the new weights are zero, the potentials are the shipped ensemble's
    model, enc, _ = joint.build(d, False, hp, 0)
    lm = load(lm_path, d)
    lm_ner.extend(model.net, 2 * lm.fwd.hidden_size, mode, 0.5)
    got, want = _torch_potentials(model, lm, enc, batch), _ensemble_potentials(d, batch)
    assert np.abs(got[0] - want[0])[m].max() < 1e-4
    # train two epochs at a high rate (the LM weights move away from zero), export, compare
    hist = lm_ner.train(iob, tmp_path / "out", d, lm_path, iob, mode, 2, 2e-2, lm_scale=0.5,
                        log=lambda *_: None)["history"]
    assert hist[-1]["f1"] > 0.9
    out = tmp_path / "out" / "epoch2"
    with np.load(out / "neural.npz") as z:
        key = "lstm_wih_lm" if mode == "input" else "lm_out_w"
        assert np.abs(z[key]).max() > 1e-3  # the LM part is in use
        assert z["lstm_wih"].shape[0] == 8 + hp["char_filters"] + hp["shape_dim"] + hp["cap_dim"]
    # the trained torch model, rebuilt from the epoch's state, against the NumPy engine
    model2, enc2, _ = joint.build(d, False, hp, 0)
    lm_ner.extend(model2.net, 2 * lm.fwd.hidden_size, mode, 0.5)
    model2.load_state_dict(torch.load(tmp_path / "out" / "epoch2.pt"))
    got, want = _torch_potentials(model2, lm, enc2, batch), _ensemble_potentials(out, batch)
    assert np.abs(got[0] - want[0])[m].max() < 1e-3
    assert np.abs(want[0] - _ensemble_potentials(d, batch)[0])[m].max() > 1e-3  # not the init model
    for g, w in zip(got[1:], want[1:]):
        assert np.abs(g - w).max() < 1e-4
    tagger = NerTagger.load(out)
    assert tagger.engine.neural.lm is not None
    assert tagger.entities(["Ерлан", "Жақсыбеков", "Шымкентте", "сөйледі", "."]) == [(0, 2, "PERSON"), (2, 3, "GPE")]


def test_numpy_lm_states_match_torch(tiny_ensemble, tmp_path):  # noqa: F811
    """The NumPy forward and backward LM (per-type cached input, batched steps) = torch's."""
    from derek.ner.neural import Positions
    from derek.training.ner.lm_states import LanguageModelStates
    from derek.training.ner.lm import load

    tmp, _ = tiny_ensemble
    d = tmp / "e"
    lm = load(_random_lm(d, tmp_path / "lm.pt"), d)
    eng = NerTagger.load(d).engine.neural
    sd = {k: v.detach().numpy() for k, v in lm.state_dict().items()}
    w = {"word_emb": eng.w["word_emb"],
         "lm_wih": np.concatenate([sd["fwd.weight_ih_l0"].T, sd["bwd.weight_ih_l0"].T], axis=1),
         "lm_b": np.concatenate([sd["fwd.bias_ih_l0"] + sd["fwd.bias_hh_l0"], sd["bwd.bias_ih_l0"] + sd["bwd.bias_hh_l0"]]),
         "lm_whh": np.stack([sd["fwd.weight_hh_l0"].T, sd["bwd.weight_hh_l0"].T])}
    batch = sorted(SENTENCES, key=len, reverse=True)
    got = LanguageModelStates(w, eng.enc.word_id).states([x for s in batch for x in s], Positions([len(s) for s in batch]))
    lens = torch.tensor([len(s) for s in batch])
    words = torch.zeros(len(batch), int(lens.max()), dtype=torch.long)
    for i, s in enumerate(batch):
        words[i, :len(s)] = torch.tensor([eng.enc.word_id(x) for x in s])
    with torch.no_grad():
        hf, hb = lm.states(words, lens)
    want = np.concatenate([torch.cat([hf[i, :len(s)], hb[i, :len(s)]], 1).numpy() for i, s in enumerate(batch)])
    assert np.abs(got - want).max() < 1e-4 and np.abs(want).max() > 0.1


@pytest.mark.parametrize("scratch", [False, True])
def test_network_alone_with_lm_then_mixed(tiny_ensemble, tmp_path, scratch):  # noqa: F811
    """Objective "net": the network (warm or fresh) learns alone under its own CRF, the
    feature CRF is exported untouched, and the NumPy ensemble computes what torch does."""
    from derek.training.ner import joint, lm_ner
    from derek.training.ner.lm import load

    tmp, iob = tiny_ensemble
    d = tmp / "e"
    lm_path = _random_lm(d, tmp_path / "lm.pt")
    hist = lm_ner.train(iob, tmp_path / "out", d, lm_path, iob, "input", 2, 2e-2, lm_scale=0.5,
                        objective="net", scratch=scratch, log=lambda *_: None)["history"]
    assert "net_alone" in hist[-1] and hist[-1]["f1"] > 0.5
    out = tmp_path / "out" / "epoch2"
    before, after = NerTagger.load(d).engine.crf, NerTagger.load(out).engine.crf  # in the network's tag order
    rows = [after.index[f] for f in sorted(before.index, key=before.index.get)]
    assert np.abs(before.w - after.w[rows]).max() < 1e-6  # the CRF expert is not retrained
    assert np.abs(np.maximum(before.trans, -1e4) - np.maximum(after.trans, -1e4)).max() < 1e-5
    with np.load(out / "neural.npz") as z:
        assert np.abs(z["lstm_wih_lm"]).max() > 1e-3
    hp = joint.net_hp(d)
    model2, enc2, _ = joint.build(d, False, hp, 0)
    lm = load(lm_path, d)
    if scratch:
        model2.net = lm_ner.fresh_network(model2.net, hp, len(enc2.tags), 0)
    lm_ner.extend(model2.net, 2 * lm.fwd.hidden_size, "input", 0.5, zero=not scratch)
    model2.load_state_dict(torch.load(tmp_path / "out" / "epoch2.pt"))
    batch = sorted(SENTENCES, key=len, reverse=True)
    m = _mask(batch)
    got, want = _torch_potentials(model2, lm, enc2, batch), _ensemble_potentials(out, batch)
    assert np.abs(got[0] - want[0])[m].max() < 1e-3
    for g, w in zip(got[1:], want[1:]):
        assert np.abs(g - w).max() < 1e-4


def test_scratch_needs_the_network_objective(tiny_ensemble, tmp_path):  # noqa: F811
    from derek.training.ner import lm_ner

    tmp, iob = tiny_ensemble
    with pytest.raises(ValueError, match="scratch"):
        lm_ner.train(iob, tmp_path / "o", tmp / "e", _random_lm(tmp / "e", tmp_path / "lm.pt"), iob, "input", 1,
                     1e-3, objective="joint", scratch=True, log=lambda *_: None)


def test_joint_fine_tune_from_a_network_trained_alone(tiny_ensemble, tmp_path):  # noqa: F811
    """--init-state: the second run starts where the first ended (its epoch 0 scores the
    first run's last epoch); --neural-weight goes into the exported config."""
    import json

    from derek.training.ner import lm_ner

    tmp, iob = tiny_ensemble
    d = tmp / "e"
    lm_path = _random_lm(d, tmp_path / "lm.pt")
    quiet = {"lm_scale": 0.5, "log": lambda *_: None}
    first = lm_ner.train(iob, tmp_path / "a", d, lm_path, iob, "input", 1, 2e-2, objective="net", scratch=True,
                         **quiet)["history"]
    again = lm_ner.train(iob, tmp_path / "b", d, lm_path, iob, "input", 1, 1e-3, objective="joint",
                         init_state=tmp_path / "a" / "epoch1.pt", **quiet)["history"]
    assert again[0]["f1"] == first[-1]["f1"]
    lm_ner.train(iob, tmp_path / "c", d, lm_path, iob, "input", 1, 1e-3, objective="joint",
                 init_state=tmp_path / "a" / "epoch1.pt", neural_weight=0.5, **quiet)
    assert json.loads((tmp_path / "c" / "epoch1" / "config.json").read_text())["neural_weight"] == 0.5
