"""BiLSTM-CRF NER tagger, inference in NumPy (trained by derek/training/ner/neural.py with torch).

A token is the concatenation of
  - a word embedding (lowercased; initialised from PPMI-SVD vectors of the unlabeled corpus),
  - a character CNN over the word as written (suffixes, capitals, digits),
  - embeddings of its shape ('Xx', 'd', 'X-d') and of its capitalisation bucket in unlabeled text;
a bidirectional LSTM reads the sentence and a CRF layer picks the best IOB2 tag sequence.

Speed: the token vector, and so its LSTM input projection, depends on the word alone: the
projection is computed once per word type and cached (bounded); the sentences of a document
run through the LSTM together, longest first, one NumPy matmul per time step for both
directions, on step-major token rows without padding (`Positions`); Viterbi is batched the
same way over a padded array.
The code here is the definition of the model: training encodes words with `WordEncoder`
and must compute exactly what `forward` computes.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Sequence

import numpy as np

from derek.ner.features import load_clusters, shape

_DIGITS = re.compile(r"\d")
MAX_CHARS = 20  # longer words keep their first 8 and last 12 characters (suffixes carry case)
PAD, UNK = 0, 1


def clip_word(word: str) -> str:
    return word if len(word) <= MAX_CHARS else word[:8] + word[-12:]


class WordEncoder:
    """word -> (word id, char ids, shape id, capitalisation-bucket id); shared with training."""

    def __init__(self, words: Sequence[str], chars: Sequence[str], shapes: Sequence[str],
                 capstats: dict[str, tuple[str, ...]] | None):
        # ids 0 and 1 are PAD and UNK in every table
        self.word_ids = {w: i + 2 for i, w in enumerate(words)}
        self.char_ids = {c: i + 2 for i, c in enumerate(chars)}
        self.shape_ids = {s: i + 2 for i, s in enumerate(shapes)}
        self.capstats = capstats or {}

    def word_id(self, word: str) -> int:
        low = word.lower()
        wid = self.word_ids.get(low)
        if wid is None:
            wid = self.word_ids.get(_DIGITS.sub("0", low), UNK)
        return wid

    def encode(self, word: str) -> tuple[int, list[int], int, int]:
        chars = [self.char_ids.get(c, UNK) for c in clip_word(word)]
        cap = self.capstats.get(word.lower())
        cap_id = int(cap[0]) + 2 if cap else UNK
        return self.word_id(word), chars, self.shape_ids.get(shape(word), UNK), cap_id


def viterbi_batch(em: np.ndarray, lens: Sequence[int], trans: np.ndarray, start, end) -> list[list[int]]:
    """Best tag sequences of a padded batch of emissions (batch, longest, tags), sentences
    longest first (the batch shrinks as they end); trans[from, to]; start/end: arrays or 0."""
    b, tmax, nt = em.shape
    dtype = np.result_type(em, trans)
    # the from-axis padded to 64 with -inf (never the max): NumPy's argmax over rows of 64
    # float32 runs ~3x faster than over rows of 50, which take a slow path (ties are
    # unchanged: the padding sits after every real tag)
    width = max(64, -(-nt // 16) * 16)
    score = np.full((b, width), -np.inf, dtype=dtype)
    score[:, :nt] = start + em[:, 0]
    trans_t = np.full((nt, width), -np.inf, dtype=dtype)  # (to, from): reductions over the last axis
    trans_t[:, :nt] = trans.T
    running = (np.asarray(lens)[None, :] > np.arange(tmax)[:, None]).sum(1).tolist()
    cand_buf = np.empty((b, nt, width), dtype=dtype)
    sent, to = np.arange(b)[:, None], np.arange(nt)[None, :]
    back = [None]  # per step, the best predecessor of each (sentence, tag): kept, not copied
    for t in range(1, tmax):
        k = running[t]
        cand = np.add(score[:k, None, :], trans_t, out=cand_buf[:k])  # (sentence, to, from)
        best = cand.argmax(2)
        back.append(best)
        # the maxima by fancy index: cheaper than take_along_axis's index building
        np.add(cand[sent[:k], to, best], em[:k, t], out=score[:k, :nt])
    ys = (score[:, :nt] + end).argmax(1)
    paths = np.zeros((b, tmax), dtype=np.intp)
    rows = np.arange(b)
    for t in range(tmax - 1, -1, -1):  # a sentence joins the backtrack at its last token
        k = running[t] if t else b
        paths[:k, t] = ys[:k]
        if t:
            ys[:k] = back[t][rows[:k], ys[:k]]
    return [p[:n] for p, n in zip(paths.tolist(), lens)]


class TypeTable:
    """Per-word-type rows computed once and gathered with one fancy index per batch (a Python
    list of small arrays stacked per call costs more than the arithmetic).  Bounded: when full
    it starts again empty, so a long-running worker keeps its memory."""

    def __init__(self, compute, max_rows: int):
        self.compute = compute  # list[str] -> array (len, ...) for new words
        self.max_rows = max_rows
        self.rows: dict[str, int] = {}
        self.data: np.ndarray | None = None

    def gather(self, words: Sequence[str]) -> np.ndarray:
        self._add_new(words)
        rows = self.rows
        return self.data[[rows[x] for x in words]]

    def row_ids(self, words: Sequence[str]) -> np.ndarray:
        """Each word's row in `data` (computed first when new), for callers that gather
        the rows themselves."""
        self._add_new(words)  # may start the table again: every row id is read after it
        rows = self.rows
        return np.fromiter((rows[x] for x in words), dtype=np.intp, count=len(words))

    def zero_row(self) -> int:
        """The index of an all-zero row of `data`, valid until the next words are added: the
        first unused row (the table grows to make one), for gathers that must read zeros."""
        n = len(self.rows)
        if self.data is None:
            raise ValueError("zero_row() of an empty table: gather some words first")
        if n >= len(self.data):  # not after _add_new, which leaves a spare row
            self.data = np.concatenate([self.data, np.zeros((1,) + self.data.shape[1:], self.data.dtype)])
        self.data[n] = 0.0
        return n

    def _add_new(self, words: Sequence[str]) -> None:
        """Compute and store the rows of the words not in the table yet."""
        rows = self.rows
        new = list(dict.fromkeys(x for x in words if x not in rows))
        if not new:
            return
        if len(rows) + len(new) > self.max_rows:
            rows.clear()
            self.data = None
            new = list(dict.fromkeys(words))
        vals = self.compute(new)
        n = len(rows)
        if self.data is None or n + len(new) >= len(self.data):  # >=: a spare row for zero_row
            grown = np.empty((max(1024, 2 * (n + len(new))),) + vals.shape[1:], dtype=vals.dtype)
            if self.data is not None:
                grown[:n] = self.data[:n]
            self.data = grown
        self.data[n:n + len(new)] = vals
        for k, x in enumerate(new, n):
            rows[x] = k


class Positions:
    """Where the tokens of a batch (sentences longest first, flattened in order) sit in the
    step-major arrays of a bidirectional LSTM run.  The batch shrinks as sentences end, so
    step t holds sentences 0..running[t]-1 and its rows are contiguous: rows
    starts[t]..starts[t+1]-1, one per token and no padding (a padded (steps, batch) layout
    gathers and touches twice the memory for a typical article).  The backward direction
    reads each sentence reversed."""

    def __init__(self, lens: Sequence[int]):
        lens = np.asarray(lens)
        self.b, self.tmax = len(lens), int(lens[0])
        self.running = (lens[None, :] > np.arange(self.tmax)[:, None]).sum(1).tolist()
        step_start = np.concatenate([[0], np.cumsum(self.running)])
        self.starts = step_start.tolist()
        first = np.cumsum(lens) - lens
        self.ii = np.repeat(np.arange(self.b), lens)  # each token's sentence
        self.tt = np.arange(len(self.ii)) - first[self.ii]  # its position there
        self.back = lens[self.ii] - 1 - self.tt  # its step in the backward direction
        # each token's row in the forward / backward step-major arrays, and the inverse
        self.frow = step_start[self.tt] + self.ii
        self.brow = step_start[self.back] + self.ii
        n = len(self.ii)
        self.ftok = np.empty(n, dtype=np.intp)
        self.ftok[self.frow] = np.arange(n)
        self.btok = np.empty(n, dtype=np.intp)
        self.btok[self.brow] = np.arange(n)

    def token_states(self, out: np.ndarray) -> np.ndarray:
        """(tokens, 2H): each token's forward and backward state from `bilstm`'s output."""
        return np.concatenate([out[0, self.frow], out[1, self.brow]], axis=1)

    def padded(self, tok: np.ndarray) -> np.ndarray:
        """(batch, longest, ...) from per-token rows in flat order; padding is zeros."""
        out = np.zeros((self.b, self.tmax) + tok.shape[1:], dtype=tok.dtype)
        out[self.ii, self.tt] = tok
        return out


def bilstm(xf: np.ndarray, xb: np.ndarray, whh: np.ndarray, pos: Positions) -> np.ndarray:
    """Both directions of a one-layer LSTM in one matmul per step: xf/xb (tokens, 4H) input
    projections (biases added) in step-major order (`Positions`), whh (2, H, 4H); gates
    pre-scaled (`gate_scale`) so one tanh serves all four.  Returns h (2, tokens, H), step-major."""
    g4 = xf.shape[1]
    hd = g4 // 4
    c = np.zeros((2, pos.b, hd), dtype=np.float32)
    out = np.empty((2, len(xf), hd), dtype=np.float32)
    h = np.zeros((2, pos.b, hd), dtype=np.float32)
    for k, s in zip(pos.running, pos.starts):
        g = np.matmul(h[:, :k], whh)  # h(t-1): its first k rows are the sentences still running
        g[0] += xf[s:s + k]
        g[1] += xb[s:s + k]
        np.tanh(g, out=g)
        sig = g * 0.5  # torch gate order: input, forget, cell, output
        sig += 0.5
        ck = c[:, :k]  # a view: updated in place
        ck *= sig[..., hd:2 * hd]
        ck += sig[..., :hd] * g[..., 2 * hd:3 * hd]
        h = out[:, s:s + k]
        np.multiply(sig[..., 3 * hd:], np.tanh(ck), out=h)
    return out


def gate_scale(hidden: int) -> np.ndarray:
    """sigmoid(x) = (tanh(x/2) + 1) / 2: halving the input, forget and output gate weights
    once lets one tanh over all four gates serve every step (`bilstm`)."""
    scale = np.full(4 * hidden, 0.5, dtype=np.float32)
    scale[2 * hidden:3 * hidden] = 1.0  # the cell candidate is a real tanh
    return scale


class NeuralNer:
    def __init__(self, encoder: WordEncoder, weights: dict[str, np.ndarray], tags: list[str]):
        self.enc = encoder
        self.w = {k: v.astype(np.float32) for k, v in weights.items()}
        self.tags = tags
        self.hidden = self.w["lstm_whh"].shape[1]
        # word type -> its LSTM input projection (8H floats): bounded, ~30k types
        self._proj = TypeTable(lambda new: self._new_vectors(new) @ self.w["lstm_wih"] + self.w["lstm_b"], 30_000)
        self._threads = None
        # language-model states as extra input: an unshipped experiment (a model exported by
        # derek/training/ner/lm_ner.py), its NumPy reader kept with it under derek/training
        self.lm = None
        if "lm_wih" in self.w:
            from derek.training.ner.lm_states import LanguageModelStates

            self.lm = LanguageModelStates(self.w, encoder.word_id)
        self._prescale_gates()

    @classmethod
    def load(cls, model_dir: str | Path, capstats: dict[str, tuple[str, ...]] | None = None,
             name: str = "neural") -> "NeuralNer":
        """<name>.npz, <name>.json and <name>_words.txt from a model directory."""
        d = Path(model_dir)
        meta = json.loads((d / f"{name}.json").read_text(encoding="utf-8"))
        words = (d / f"{name}_words.txt").read_text(encoding="utf-8").split("\n")
        if capstats is None and (d / "capstats.tsv").is_file():
            capstats = load_clusters((d / "capstats.tsv").read_text(encoding="utf-8").splitlines())
        enc = WordEncoder(words, meta["chars"], meta["shapes"], capstats)
        with np.load(d / f"{name}.npz") as z:
            weights = {k: z[k] for k in z.files}
        return cls.from_parts(enc, weights, meta)

    @classmethod
    def from_parts(cls, enc: WordEncoder, weights: dict[str, np.ndarray], meta: dict) -> "NeuralNer":
        """The network from its loaded files (<name>.json's `meta`): a subclass reads more of it."""
        return cls(enc, weights, meta["tags"])

    # -- token vectors -------------------------------------------------------------------
    def _new_vectors(self, words: list[str]) -> np.ndarray:
        w = self.w
        enc = [self.enc.encode(x) for x in words]
        n, longest = len(words), max(len(e[1]) for e in enc)
        char_ids = np.zeros((n, longest + 2), dtype=np.int64)  # one zero pad each side = conv padding 1
        mask = np.full((n, longest), -np.inf, dtype=np.float32)
        for i, e in enumerate(enc):
            char_ids[i, 1:1 + len(e[1])] = e[1]
            mask[i, :len(e[1])] = 0.0
        ce = w["char_emb"][char_ids]  # (n, L+2, C); row 0 is zeros
        windows = np.concatenate([ce[:, :-2], ce[:, 1:-1], ce[:, 2:]], axis=2)  # (n, L, 3C)
        conv = windows @ w["char_conv"] + w["char_conv_b"]  # (n, L, F)
        np.maximum(conv, 0.0, out=conv)
        char_vec = (conv + mask[:, :, None]).max(axis=1)
        ids = np.array([e[0] for e in enc])
        shapes = np.array([e[2] for e in enc])
        caps = np.array([e[3] for e in enc])
        return np.concatenate([w["word_emb"][ids], char_vec, w["shape_emb"][shapes], w["cap_emb"][caps]], axis=1)

    def projected(self, words: Sequence[str]) -> np.ndarray:
        """(len(words), 8H): each token's LSTM input projection, both directions, biases added."""
        return self._proj.gather(words)

    # -- sentence batch -> emissions -> tags ---------------------------------------------
    def _prescale_gates(self) -> None:
        """The gates' weights pre-scaled for `bilstm` (its one-tanh trick)."""
        scale = gate_scale(self.hidden)
        both = np.concatenate([scale, scale])
        self.w["lstm_whh"] = self.w["lstm_whh"] * scale
        for k in ("lstm_wih", "lstm_b", "lstm_wih_lm"):
            if k in self.w:
                self.w[k] = self.w[k] * both

    def emissions(self, sentences: Sequence[Sequence[str]]) -> np.ndarray:
        """(batch, longest, tags) CRF emission scores; `sentences` sorted longest first (the
        batch then shrinks as sentences end: padding costs nothing)."""
        pos = Positions([len(s) for s in sentences])
        return pos.padded(self.token_emissions(sentences, pos))

    def token_emissions(self, sentences: Sequence[Sequence[str]], pos: Positions) -> np.ndarray:
        """(tokens, tags): `emissions` for the batch's tokens in flat order, unpadded."""
        w, g4 = self.w, 4 * self.hidden
        flat = [x for s in sentences for x in s]
        rows = self._proj.row_ids(flat)  # each token's projection row
        data = self._proj.data  # (types, 8H): forward | backward gates
        lm = self.lm.states(flat, pos) if self.lm is not None else None  # (tokens, 2 x LM hidden)
        if lm is not None and "lstm_wih_lm" in w:
            x = data[rows] + lm @ w["lstm_wih_lm"]  # the LM states are NER LSTM input too
            xf, xb = x[pos.ftok, :g4], x[pos.btok, g4:]
        else:  # step-major input gathered straight from the table
            xf, xb = data[rows[pos.ftok], :g4], data[rows[pos.btok], g4:]
        out = bilstm(xf, xb, w["lstm_whh"], pos)
        # the output layer as one 2-D matmul
        tok_em = pos.token_states(out) @ w["out_w"] + w["out_b"]
        if lm is not None and "lm_out_w" in w:
            tok_em += lm @ w["lm_out_w"] + w["lm_out_b"]
        return tok_em

    def viterbi(self, em: np.ndarray, lens: Sequence[int], trans=None, start=None, end=None) -> list[list[int]]:
        """Best tag sequences of a batch (em from `emissions`, lens longest first); the
        potentials are this model's unless given (the ensemble passes mixed ones)."""
        w = self.w
        return viterbi_batch(em, lens, w["crf_trans"] if trans is None else trans,
                             w["crf_start"] if start is None else start, w["crf_end"] if end is None else end)

    def tag_sentences(self, sentences: Sequence[Sequence[str]], combine=None) -> list[list[str]]:
        """Tags per sentence.  `combine(token_emissions, batch, positions) -> (token_emissions,
        trans, start, end)` lets another model add its potentials (per token, in the batch's
        flat order) before decoding (derek/ner/ensemble.py)."""
        # small matrices: BLAS threads only wait on each other (and stall badly on a busy machine)
        if self._threads is None:
            from threadpoolctl import ThreadpoolController

            self._threads = ThreadpoolController()
        with self._threads.limit(limits=1, user_api="blas"):
            return self._tag_sentences(sentences, combine)

    def _tag_sentences(self, sentences: Sequence[Sequence[str]], combine) -> list[list[str]]:
        todo = [i for i, s in enumerate(sentences) if s]
        out: list[list[str]] = [[] for _ in sentences]
        todo.sort(key=lambda i: -len(sentences[i]))
        tags = self.tags
        for a in range(0, len(todo), 128):  # a long file: batches of similar lengths
            group = todo[a:a + 128]
            batch = [sentences[i] for i in group]
            lens = [len(x) for x in batch]
            pos = Positions(lens)
            em = self.token_emissions(batch, pos)
            potentials = combine(em, batch, pos) if combine else (em,)
            for i, path in zip(group, self.viterbi(pos.padded(potentials[0]), lens, *potentials[1:])):
                out[i] = [tags[k] for k in path]
        return out

    def tag_words(self, words: Sequence[str]) -> list[str]:
        return self.tag_sentences([words])[0] if words else []
