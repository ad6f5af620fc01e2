"""The NumPy inference kernels of derek/ner/neural.py against plain per-sentence versions
written here the textbook way: the batched Viterbi (its from-axis padding, the shrinking
batch, back-pointers kept per step) and the step-major BiLSTM (no padding rows).  The speed
tricks must not change a single tag or state."""
import numpy as np
import pytest

from derek.ner.neural import Positions, bilstm, gate_scale, viterbi_batch


def reference_viterbi(em: np.ndarray, trans: np.ndarray, start, end) -> list[int]:
    """One sentence (n, tags), ties to the lowest tag index like NumPy's argmax."""
    n, nt = em.shape
    score = start + em[0]
    back = []
    for t in range(1, n):
        cand = score[:, None] + trans  # (from, to)
        best = cand.argmax(0)
        back.append(best)
        score = cand[best, np.arange(nt)] + em[t]
    y = int((score + end).argmax())
    path = [y]
    for best in reversed(back):
        y = int(best[y])
        path.append(y)
    return path[::-1]


@pytest.mark.parametrize("nt", [2, 9, 50, 70])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_batched_viterbi_is_the_plain_one(nt, dtype):
    rng = np.random.default_rng(nt)
    lens = sorted([1, 1, 2, 5, 17, 30, 3, 9], reverse=True)  # longest first, one-token sentences too
    em = np.zeros((len(lens), lens[0], nt), dtype=dtype)
    for i, n in enumerate(lens):
        em[i, :n] = rng.normal(size=(n, nt)) * 3
    trans = (rng.normal(size=(nt, nt)) * 2).astype(dtype)
    start, end = rng.normal(size=nt).astype(dtype), rng.normal(size=nt).astype(dtype)
    got = viterbi_batch(em, lens, trans, start, end)
    assert [len(p) for p in got] == lens
    for i, n in enumerate(lens):
        assert got[i] == reference_viterbi(em[i, :n], trans, start, end)
    # no start/end potentials (the feature CRF alone passes 0)
    got0 = viterbi_batch(em, lens, trans, 0, 0)
    assert got0[4] == reference_viterbi(em[4, :lens[4]], trans, 0, 0)


def test_viterbi_follows_strong_transitions():
    """A hand-made case: tag 1 may only follow tag 0 ('B' then 'I'), tag 2 is free ('O')."""
    neg = -1e4
    trans = np.array([[0, 0, 0], [neg, 0, 0], [0, neg, 0]], dtype=np.float32)  # from x to
    em = np.array([[[0, 0, 1], [0, 2, 0], [0, 2, 0]]], dtype=np.float32)  # 'I' looks best twice
    # I after O is forbidden: the best legal path opens with B (0) and continues with I
    assert viterbi_batch(em, [3], trans, 0, 0) == [[0, 1, 1]]


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def reference_lstm(x: np.ndarray, wih, whh, b) -> np.ndarray:
    """torch.nn.LSTM, one direction, one sentence: x (n, in) -> h (n, H); gates i f g o."""
    hd = whh.shape[0]
    h, c, out = np.zeros(hd), np.zeros(hd), []
    for t in range(len(x)):
        g = x[t] @ wih + h @ whh + b
        i, f, cell, o = _sigmoid(g[:hd]), _sigmoid(g[hd:2 * hd]), np.tanh(g[2 * hd:3 * hd]), _sigmoid(g[3 * hd:])
        c = f * c + i * cell
        h = o * np.tanh(c)
        out.append(h)
    return np.array(out)


def test_step_major_bilstm_is_the_plain_one():
    rng = np.random.default_rng(0)
    hd, dim = 5, 7
    lens = [9, 6, 6, 2, 1]  # longest first, as the tagger sorts them
    wih = rng.normal(size=(2, dim, 4 * hd)) * 0.5
    whh = rng.normal(size=(2, hd, 4 * hd)) * 0.5
    b = rng.normal(size=(2, 4 * hd)) * 0.5
    sents = [rng.normal(size=(n, dim)) for n in lens]
    flat = np.concatenate(sents)  # tokens in flat order

    pos = Positions(lens)
    scale = gate_scale(hd)  # what NeuralNer does to its weights once at load
    xf = (flat @ wih[0] + b[0]) * scale
    xb = (flat @ wih[1] + b[1]) * scale
    out = bilstm(xf[pos.ftok].astype(np.float32), xb[pos.btok].astype(np.float32),
                 (whh * scale).astype(np.float32), pos)
    got = pos.token_states(out)  # (tokens, 2H), flat order

    want = []
    for s in sents:
        fwd = reference_lstm(s, wih[0], whh[0], b[0])
        bwd = reference_lstm(s[::-1], wih[1], whh[1], b[1])[::-1]
        want.append(np.concatenate([fwd, bwd], axis=1))
    assert np.abs(got - np.concatenate(want)).max() < 1e-5


def test_positions_lay_each_step_out_contiguously():
    pos = Positions([3, 2, 1])
    assert pos.running == [3, 2, 1]
    assert pos.starts == [0, 3, 5, 6]
    # step 0 holds every sentence's first token, step 1 the second of sentences 0 and 1 ...
    assert pos.frow.tolist() == [0, 3, 5, 1, 4, 2]
    # ... and backwards each sentence's last token comes first
    assert pos.brow.tolist() == [5, 3, 0, 4, 1, 2]
    tok = np.arange(6.0)[:, None]
    assert pos.padded(tok)[:, :, 0].tolist() == [[0, 1, 2], [3, 4, 0], [5, 0, 0]]
