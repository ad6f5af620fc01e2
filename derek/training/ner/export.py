"""Training-time exporters: what a trained model directory is given for inference.

`derek train ner` (derek/training/ner/train.py) and the neural trainers write a model
directory; these turn its python-crfsuite model into the files inference reads without
python-crfsuite (the ensemble's CRF is decoded in NumPy: derek/ner/ensemble.py, CrfScorer).
"""
from __future__ import annotations

import json
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


def crf_to_ensemble_weights(model_dir: Path) -> None:
    """A freshly trained feature CRF, turned into the ensemble's part of the directory:
    crf_weights.npz written, model.crfsuite and attributes.txt removed (the ensemble reads only
    the NumPy weights)."""
    export_crf_weights(model_dir)
    for f in ("model.crfsuite", "attributes.txt"):
        (Path(model_dir) / f).unlink(missing_ok=True)


def write_config(out: Path, meta: dict, dev_file: Path | None, log, what: str = "") -> dict:
    """config.json of a finished model directory; with a dev file, its score is added to it
    (scored by the inference code, as `derek eval ner` would; logged as `what` dev micro-F1)."""
    from derek.training.ner.train import evaluate_dir

    def write() -> None:
        (out / "config.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")

    write()
    if dev_file is not None:
        table = evaluate_dir(out, dev_file)
        meta["dev"] = {"file": Path(dev_file).name, "micro_f1": round(table["micro"]["f1"], 4)}
        log(f"{what}dev micro-F1 {table['micro']['f1']:.4f}")
        write()
    return meta
