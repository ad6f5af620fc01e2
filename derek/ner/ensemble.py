"""The shipped NER engine: the BiLSTM-CRF and the feature CRF, combined as a product of experts.

Both models are linear-chain CRFs, so a tag sequence's score under each is a sum of
emission and transition potentials.  Weighting them, a * neural + (1 - a) * crf, and taking
the best sequence is exact Viterbi over the summed potentials (the geometric mixture of the
two distributions).  The two make different mistakes — the CRF's hand features (affixes,
organisation heads, clusters) against the network's character and word vectors — and the
mixture is better than either (docs/models.md).

The CRF's potentials are computed here in NumPy from its exported weights (crf_weights.npz,
written at training time by derek/training/ner/export.py), cached per word type the way the features are: a token's
emission is its own features' weight sum plus what each neighbour contributes at its offset.
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np

from derek.ner.features import FeatureExtractor
from derek.ner.neural import NeuralNer, Positions, TypeTable, viterbi_batch


class CrfScorer:
    """CRF emission and transition potentials in a given tag order, without crfsuite."""

    def __init__(self, path: Path, fx: FeatureExtractor, tags: Sequence[str]):
        with np.load(path) as z:
            attrs = str(z["attrs"]).split("\n")
            labels = str(z["labels"]).split("\n")
            w, trans = z["weights"], z["transitions"]
        col = [labels.index(t) if t in labels else -1 for t in tags]
        # a tag the CRF never saw gets a large negative score from it (never chosen by it)
        self.w = np.where(np.array(col)[None] >= 0, w[:, col], 0.0).astype(np.float32)
        self.trans = np.where((np.array(col)[:, None] >= 0) & (np.array(col)[None] >= 0),
                              trans[np.ix_(col, col)], -1e4).astype(np.float32)
        self.index = {a: i for i, a in enumerate(attrs)}
        self.fx = fx
        fx.known = set(attrs)  # features without weights are dropped once per word type
        self.n_tags = len(tags)
        self.zero = np.zeros(len(tags), dtype=np.float32)
        # word type -> [own features' weights; what it gives each neighbour offset] (1 + K, tags)
        self._types = TypeTable(lambda new: np.stack([self._vectors(x) for x in new]), 100_000)
        self.bound = [self._sum((f"{o}:BOUND",)) for o in fx.offsets]  # a neighbour past the end

    def _sum(self, feats: Sequence[str]) -> np.ndarray:
        rows = [self.index[a] for a in feats if a in self.index]
        return self.w[rows].sum(0) if rows else self.zero

    def _vectors(self, word: str) -> np.ndarray:
        fx = self.fx
        return np.stack([self._sum(fx.own(word))] + [self._sum(g) for g in fx.ctx(word)])

    def emissions(self, words: Sequence[str]) -> np.ndarray:
        """(len(words), tags): exactly what crfsuite scores for FeatureExtractor.sentence(words)."""
        return self.batch_emissions([words])[0]

    def batch_emissions(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """Per sentence, as `emissions`, computed over the batch at once."""
        lens = [len(s) for s in sentences]
        return np.split(self.flat_emissions(sentences), np.cumsum(lens)[:-1])

    def flat_emissions(self, sentences: Sequence[Sequence[str]]) -> np.ndarray:
        """(tokens, tags): the batch's emissions in flat order: a neighbour's contribution is
        a shifted add over all tokens, masked where it would cross a sentence."""
        flat = [x for s in sentences for x in s]
        n = len(flat)
        lens = np.array([len(s) for s in sentences])
        ends = np.cumsum(lens)
        starts = ends - lens
        sid = np.repeat(np.arange(len(sentences)), lens)
        pos = np.arange(n) - starts[sid]  # position inside the sentence
        slen = lens[sid]
        vecs = self._types.gather(flat)
        em = vecs[:, 0].copy()
        ctx = vecs[:, 1:]  # (n, offsets, tags)
        for k, o in enumerate(self.fx.offsets):
            j = pos + o
            inside = (j >= 0) & (j < slen)
            idx = np.nonzero(inside)[0]
            em[idx] += ctx[idx + o, k]
            em[(j == -1) | (j == slen)] += self.bound[k]
        # the sentence-level features' weights, summed per token in one reduceat
        index, tok, rows = self.index, [], []
        for i, feats in enumerate(self.fx.sentence_extras_batch(sentences)):
            for a in feats:
                r = index.get(a)
                if r is not None:
                    tok.append(i)
                    rows.append(r)
        if rows:
            at = np.array(tok)
            first = np.flatnonzero(np.r_[True, at[1:] != at[:-1]])
            em[at[first]] += np.add.reduceat(self.w[rows], first, axis=0)
        return em

class EnsembleNer:
    """Weighted sum of the experts' potentials: the BiLSTM-CRFs share `neural_weight` equally,
    the feature CRF has the rest."""

    def __init__(self, neural: NeuralNer | Sequence[NeuralNer], crf: CrfScorer, neural_weight: float):
        self.nets = [neural] if isinstance(neural, NeuralNer) else list(neural)
        self.neural = self.nets[0]  # runs the batching and decoding
        self.crf = crf
        self.a = neural_weight
        share = neural_weight / len(self.nets)
        self.share = share
        self.trans = (1 - neural_weight) * crf.trans + sum(share * n.w["crf_trans"] for n in self.nets)
        self.start = sum(share * n.w["crf_start"] for n in self.nets)
        self.end = sum(share * n.w["crf_end"] for n in self.nets)

    def tag_sentences(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        return self.neural.tag_sentences(sentences, combine=self._combine)

    def potentials(self, batch: Sequence[Sequence[str]]):
        """(emissions (batch, longest, tags), trans, start, end) that decoding `batch`
        (sorted longest first) uses: what training must reproduce (tests/ner/test_joint.py)."""
        pos = Positions([len(s) for s in batch])
        em, *rest = self._combine(self.neural.token_emissions(batch, pos), batch, pos)
        return (pos.padded(em), *rest)

    def _combine(self, em: np.ndarray, batch: Sequence[Sequence[str]], pos: Positions):
        """The mixed potentials of a batch; `em`: the first network's, per token (flat order)."""
        em = em * self.share
        for other in self.nets[1:]:
            em += self.share * other.token_emissions(batch, pos)
        em += (1 - self.a) * self.crf.flat_emissions(batch)
        return em, self.trans, self.start, self.end

    def tag_words(self, words: Sequence[str]) -> list[str]:
        return self.tag_sentences([words])[0] if words else []


class CrfOnlyNer:
    """The ensemble's feature CRF alone ($DEREK_NER_ENGINE=crf): about half the ner stage's
    time for 1.3 points less micro-F1 on KazNERD (docs/models.md)."""

    def __init__(self, crf: CrfScorer, tags: Sequence[str]):
        self.crf = crf
        self.tags = list(tags)
        self.zero = np.zeros(len(tags), dtype=np.float32)

    def tag_sentences(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        todo = sorted((i for i, s in enumerate(sentences) if s), key=lambda i: -len(sentences[i]))
        out: list[list[str]] = [[] for _ in sentences]
        for a in range(0, len(todo), 128):
            group = todo[a:a + 128]
            batch = [sentences[i] for i in group]
            lens = [len(x) for x in batch]
            em = Positions(lens).padded(self.crf.flat_emissions(batch))
            for i, path in zip(group, viterbi_batch(em, lens, self.crf.trans, self.zero, self.zero)):
                out[i] = [self.tags[k] for k in path]
        return out

    def tag_words(self, words: Sequence[str]) -> list[str]:
        return self.tag_sentences([words])[0] if words else []
