"""The language-model states an experimental NER network reads (derek/training/ner/lm_ner.py),
computed in NumPy: an unshipped experiment (docs/models.md), kept beside its trainer so the
shipped inference code (derek/ner/neural.py) carries only what the shipped model runs.
derek/ner/neural.py imports it only for a model directory whose weights hold an LM."""
from __future__ import annotations

from typing import Sequence

import numpy as np

from derek.ner.neural import Positions, TypeTable, bilstm, gate_scale


class LanguageModelStates:
    """Frozen forward and backward LSTM language models trained on unlabeled Kazakh text
    (derek/training/ner/lm.py): a token's two hidden states are its context as the corpus
    sees it, an extra input of the NER network.  They read the network's own word vectors,
    so their input projection is cached per word type like the network's."""

    def __init__(self, w: dict[str, np.ndarray], word_ids):
        hd = w["lm_whh"].shape[1]
        scale = gate_scale(hd)
        both = np.concatenate([scale, scale])
        self.whh = w["lm_whh"] * scale
        self.g4 = 4 * hd
        wih, bias, emb = w["lm_wih"] * both, w["lm_b"] * both, w["word_emb"]
        self._proj = TypeTable(lambda new: emb[[word_ids(x) for x in new]] @ wih + bias, 30_000)

    def states(self, flat: Sequence[str], pos: Positions) -> np.ndarray:
        rows = self._proj.row_ids(flat)
        data = self._proj.data
        out = bilstm(data[rows[pos.ftok], :self.g4], data[rows[pos.btok], self.g4:], self.whh, pos)
        return pos.token_states(out)
