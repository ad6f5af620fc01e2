"""Train the CRF NER model: features from derek.ner.features, engine python-crfsuite.

The output directory is a loadable model (what derek/ner/model/ ships):
  model.crfsuite   the CRF weights
  config.json      feature config + training settings + dev scores (the model card's numbers)
  clusters.tsv     word -> cluster ids, when the config uses clusters
L-BFGS in crfsuite is deterministic, so the same data + settings give the same model.
"""
from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pycrfsuite

from derek.ner.features import FeatureConfig, FeatureExtractor, load_clusters
from derek.training.ner.export import write_attributes
from derek.training.ner.data import read_iob
from derek.training.ner.metrics import score

DEFAULT_PARAMS = {"c1": 0.05, "c2": 0.01, "max_iterations": 200, "feature.minfreq": 1,
                  "feature.possible_transitions": True}


def make_extractor(config: FeatureConfig, clusters_path: Path | None,
                   capstats_path: Path | None = None) -> FeatureExtractor:
    clusters = capstats = None
    if config.capstats:
        if capstats_path is None:
            raise ValueError("this feature config uses capitalisation statistics: give a capstats.tsv")
        capstats = load_clusters(capstats_path.read_text(encoding="utf-8").splitlines())
    if config.clusters:
        if clusters_path is None:
            raise ValueError("this feature config uses clusters: give a clusters.tsv")
        clusters = load_clusters(clusters_path.read_text(encoding="utf-8").splitlines())
    stem = None
    if config.stems:
        from derek.ner.tagger import load_stemmer

        stem = load_stemmer()
    return FeatureExtractor(config, clusters, stem, capstats)


def train(train_file: Path, out_dir: Path, config: FeatureConfig, *, dev_file: Path | None = None,
          clusters_path: Path | None = None, capstats_path: Path | None = None,
          params: dict | None = None, log=print) -> dict:
    params = {**DEFAULT_PARAMS, **(params or {})}
    out_dir.mkdir(parents=True, exist_ok=True)
    fx = make_extractor(config, clusters_path, capstats_path)
    t0 = time.time()
    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    n_tok = 0
    for words, tags in read_iob(train_file):
        trainer.append(fx.sentence(words), tags)
        n_tok += len(words)
    trainer.set_params(params)
    model_path = out_dir / "model.crfsuite"
    trainer.train(str(model_path))
    write_attributes(out_dir)
    from derek.training.ner.gazetteer import build as build_names

    build_names(train_file, out_dir / "names.tsv", fx.stem or str.lower)
    train_s = time.time() - t0
    log(f"trained on {n_tok} tokens in {train_s:.0f}s")
    for used, src, name in ((config.clusters, clusters_path, "clusters.tsv"),
                            (config.capstats, capstats_path, "capstats.tsv")):
        if used and Path(src).resolve() != (out_dir / name).resolve():
            shutil.copyfile(src, out_dir / name)
    meta = {"features": config.to_dict(), "params": params, "train_file": Path(train_file).name,
            "train_tokens": n_tok, "train_seconds": round(train_s, 1)}
    write = lambda: (out_dir / "config.json").write_text(  # noqa: E731
        json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    write()
    if dev_file is not None:
        table = evaluate_dir(out_dir, dev_file, config=config, fx=fx)
        meta["dev"] = {"file": Path(dev_file).name, "micro_f1": round(table["micro"]["f1"], 4)}
        log(f"dev micro-F1 {table['micro']['f1']:.4f}")
        write()
    return meta


def evaluate_dir(model_dir: Path, test_file: Path, config: FeatureConfig | None = None,
                 fx: FeatureExtractor | None = None) -> dict:
    """Score a model directory on an IOB2 file (the tagger is the shipped inference code)."""
    from derek.ner.tagger import NerTagger

    tagger = NerTagger.load(model_dir, extractor=fx)
    sents = read_iob(test_file)
    pred = tagger.tag_sentences([words for words, _ in sents])
    return score([tags for _, tags in sents], pred)
