"""Dilated-CNN-CRF NER network, inference in NumPy (trained by derek/training/ner/conv.py
on gold data, or distilled from the BiLSTM-CRF by derek/training/ner/distil.py).

The token vector is the BiLSTM-CRF's (derek/ner/neural.py: word vector, character CNN,
shape and capitalisation embeddings); then a convolution over a window of 3 or 5 token
vectors, width-3 dilated convolutions over its first `hidden` units with residual
connections, and a linear layer from their output (and the window layer's remaining "local"
units) to the CRF's emissions (Strubell et al., EMNLP 2017).  Measured, not shipped:
docs/models.md, "A distilled dilated CNN instead of the BiLSTM".

Why: the BiLSTM walks each sentence step by step, and for one article about half its time is
NumPy's fixed cost and element-wise work per step.  Here every layer is one matrix product
over all tokens of the batch, and the window layer is no product at all: it depends on the
window's words alone, so each word type's contribution at every window position is computed
once and cached (`TypeTable`), and a token sums its own and its neighbours'.

Layout: the batch's sentences in one array of rows, each sentence followed by `gap` zero rows
(gap = the widest dilation or window radius), so a window that crosses a sentence's end reads
zeros — what training's per-sentence zero padding gives — without a padded (batch, longest)
array.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from derek.ner.neural import NeuralNer, Positions, TypeTable, WordEncoder


class ConvNer(NeuralNer):
    """Same interface as NeuralNer (tag_sentences, token_emissions, viterbi): the ensemble
    mixes either."""

    def __init__(self, encoder: WordEncoder, weights: dict[str, np.ndarray], tags: list[str],
                 hp: dict | None = None):
        self.enc = encoder
        self.w = {k: v.astype(np.float32) for k, v in weights.items() if k != "dilations"}
        self.dilations = [int(d) for d in weights["dilations"]]
        self.tags = tags
        hp = hp or {}  # <name>.json's hyperparameters: the window and how many units go on
        self.radius = int(hp.get("window", 3)) // 2
        self.hidden = int(hp.get("hidden", self.w["conv0_b"].shape[0]))
        width = self.w["conv0_b"].shape[0]  # hidden + the local units that skip the dilated layers
        self.gap = max([self.radius] + self.dilations)
        w0 = self.w["conv0_w"]
        dim = len(w0) // (2 * self.radius + 1)
        # conv0's weight cut by window position: block k is what a word gives the token
        # (k - radius) places before it (after it when negative); the own block carries the bias
        stacked = np.concatenate([w0[k * dim:(k + 1) * dim] for k in range(2 * self.radius + 1)], axis=1)
        bias = np.zeros(stacked.shape[1], dtype=np.float32)
        bias[self.radius * width:(self.radius + 1) * width] = self.w["conv0_b"]
        self.width = width
        self._proj = TypeTable(lambda new: self._new_vectors(new) @ stacked + bias, 30_000)
        self.layers = [(d, self.w[f"conv{k + 1}_w"], self.w[f"conv{k + 1}_b"]) for k, d in enumerate(self.dilations)]
        self._threads = None
        self.lm = None

    @classmethod
    def load(cls, model_dir, capstats=None, name: str = "conv") -> "ConvNer":
        return super().load(model_dir, capstats=capstats, name=name)

    @classmethod
    def from_parts(cls, enc: WordEncoder, weights: dict[str, np.ndarray], meta: dict) -> "ConvNer":
        return cls(enc, weights, meta["tags"], meta.get("hp"))

    def token_emissions(self, sentences: Sequence[Sequence[str]], pos: Positions) -> np.ndarray:
        """(tokens, tags) for the batch's tokens in flat order."""
        h, width, gap, r = self.hidden, self.width, self.gap, self.radius
        flat = [x for s in sentences for x in s]
        n = len(flat)
        # each token's row in the gapped layout: its sentence's index adds one gap per sentence before it
        rows = np.arange(n) + gap * (pos.ii + 1)
        total = n + gap * (pos.b + 1)
        ids = self._proj.row_ids(flat)
        data, zero = self._proj.data, self._proj.zero_row()
        # every row of the layout names its word's table row; gap rows name the zero row
        table_row = np.full(total, zero, dtype=np.intp)
        table_row[rows] = ids
        # block k of the word at i + (k - r) is its contribution to token i
        x0 = data[ids, r * width:(r + 1) * width]
        for k in range(2 * r + 1):
            if k != r:
                x0 += data[table_row[rows + (k - r)], k * width:(k + 1) * width]
        np.maximum(x0, 0.0, out=x0)
        x, local = x0[:, :h], x0[:, h:]
        hid = np.zeros((total, h), dtype=np.float32)
        hid[rows] = x
        for d, w, b in self.layers:
            window = np.concatenate([hid[rows - d], x, hid[rows + d]], axis=1)
            y = window @ w
            y += b
            np.maximum(y, 0.0, out=y)
            x = x + y  # residual
            hid[rows] = x
        out_w = self.w["out_w"]
        em = x @ out_w[:h] + self.w["out_b"]
        if local.shape[1]:
            em += local @ out_w[h:]
        return em
