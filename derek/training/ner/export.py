"""Training-time exporters: what a trained model directory is given for inference.

`derek train ner` (derek/training/ner/train.py) and the neural trainers write a model
directory; these turn its python-crfsuite model into the files inference reads without
python-crfsuite (the ensemble's CRF is decoded in NumPy: derek/ner/ensemble.py, CrfScorer).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np


def write_attributes(model_dir: Path) -> None:
    """List the attributes that carry weights in model.crfsuite (L1 leaves few), so the
    tagger can skip the rest (see FeatureExtractor.known)."""
    import pycrfsuite

    crf = pycrfsuite.Tagger()
    crf.open(str(Path(model_dir) / "model.crfsuite"))
    attrs = sorted({a for a, _ in crf.info().state_features})
    (Path(model_dir) / "attributes.txt").write_text("\n".join(attrs), encoding="utf-8")


def export_crf_weights(model_dir: Path) -> None:
    """model.crfsuite -> crf_weights.npz (attribute names, attribute x label weights, transitions)."""
    import pycrfsuite

    crf = pycrfsuite.Tagger()
    crf.open(str(Path(model_dir) / "model.crfsuite"))
    info = crf.info()
    labels = sorted(crf.labels())
    lid = {lab: i for i, lab in enumerate(labels)}
    attrs = sorted({a for a, _ in info.state_features})
    aid = {a: i for i, a in enumerate(attrs)}
    w = np.zeros((len(attrs), len(labels)), dtype=np.float32)
    for (a, lab), v in info.state_features.items():
        w[aid[a], lid[lab]] = v
    trans = np.zeros((len(labels), len(labels)), dtype=np.float32)
    for (a, b), v in info.transitions.items():
        trans[lid[a], lid[b]] = v
    np.savez_compressed(Path(model_dir) / "crf_weights.npz", attrs=np.array("\n".join(attrs)),
                        labels=np.array("\n".join(labels)), weights=w, transitions=trans)
