"""The NER tagger: loads a model directory (derek/ner/model by default) and tags words.

Three engines, named by config.json's "engine":
  "ensemble"  the shipped one: the BiLSTM-CRF and the feature CRF mixed (derek/ner/ensemble.py)
  "neural"    the BiLSTM-CRF alone, run in NumPy (derek/ner/neural.py)
  "crf"       python-crfsuite over derek/ner/features.py (a model from `derek train ner`;
              python-crfsuite is imported only for it: `pip install 'derek[crf]'`)
Pure inference in every case: no torch; the shipped ensemble needs NumPy only.
"""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from derek.ner.choice import ENGINES, NerChoice  # noqa: F401 - re-exported
from derek.ner.errors import NerModelError  # noqa: F401 - re-exported: callers import it from here
from derek.ner.features import FeatureConfig, FeatureExtractor, load_clusters

if TYPE_CHECKING:  # numpy-heavy: imported when a neural model loads
    import pycrfsuite

    from derek.ner.neural import NeuralNer


def default_model_dir() -> Path:
    return Path(str(resources.files("derek.ner").joinpath("model")))


def load_stemmer():
    """derek.morph's lemmatizer when it is installed; a stem feature needs it at inference too."""
    from derek.morph import lemmatize

    return lambda w: lemmatize(w)


class NerTagger:
    def __init__(self, crf: "pycrfsuite.Tagger | None", extractor: FeatureExtractor, meta: dict,
                 names: dict[str, tuple[str, ...]] | None = None, engine=None):
        self.crf = crf
        # NeuralNer or EnsembleNer: tags batches of sentences (None: crfsuite, one at a time)
        self.engine = engine
        # what tagged, when not the shipped ensemble: recorded in each document's meta
        self.engine_name = None if meta.get("engine") == "ensemble" else meta.get("engine")
        self.fx = extractor
        self.meta = meta
        # stems of names -> (label, count, share) from the training data (names.tsv), for the stage
        self.names = names or {}

    @classmethod
    def load(cls, model_dir: str | Path | None = None, extractor: FeatureExtractor | None = None, *,
             engine: str = "ensemble") -> "NerTagger":
        """The model in `model_dir` (None: the shipped one).  `engine`: "ensemble" tags with the
        directory's own engine, "crf" with an ensemble's feature CRF alone."""
        NerChoice(engine=engine)  # an unknown engine is an error whatever the model
        d = Path(model_dir) if model_dir else default_model_dir()
        if not (d / "config.json").is_file():
            raise NerModelError(f"no NER model at {d} (expected config.json and the model files)")
        meta = json.loads((d / "config.json").read_text(encoding="utf-8"))
        names = None
        if (d / "names.tsv").is_file():
            names = load_clusters((d / "names.tsv").read_text(encoding="utf-8").splitlines())
        if meta.get("engine") in ("neural", "ensemble"):
            return cls._load_neural(d, meta, names, engine)
        model = d / "model.crfsuite"
        if not model.is_file():
            raise NerModelError(f"no NER model at {d} (expected model.crfsuite and config.json)")
        if extractor is None:
            config = FeatureConfig.from_dict(meta.get("features", {}))
            clusters = None
            if config.clusters:
                clusters = load_clusters((d / "clusters.tsv").read_text(encoding="utf-8").splitlines())
            capstats = None
            if config.capstats:
                capstats = load_clusters((d / "capstats.tsv").read_text(encoding="utf-8").splitlines())
            stem = load_stemmer() if config.stems else None
            known = None
            if (d / "attributes.txt").is_file():  # written by training: the attributes with weights
                known = set((d / "attributes.txt").read_text(encoding="utf-8").split("\n"))
            extractor = FeatureExtractor(config, clusters, stem, capstats, known)
        crf = _crfsuite(d).Tagger()
        crf.open(str(model))
        return cls(crf, extractor, meta, names)

    @classmethod
    def _load_neural(cls, d: Path, meta: dict, names, engine: str) -> "NerTagger":
        ensemble = meta["engine"] == "ensemble"
        nets = list(meta.get("neural_models", ["neural"])) if ensemble else ["neural"]
        need = [f"{n}{ext}" for n in nets for ext in (".npz", ".json", "_words.txt")] + ["capstats.tsv"]
        if ensemble:
            need += ["crf_weights.npz"] + (["clusters.tsv"] if meta.get("features", {}).get("clusters") else [])
        for f in need:
            if not (d / f).is_file():
                raise NerModelError(f"incomplete {meta['engine']} NER model at {d}: {f} is missing")
        capstats = load_clusters((d / "capstats.tsv").read_text(encoding="utf-8").splitlines())
        if engine == "crf":
            if not ensemble:  # a lone BiLSTM-CRF has no feature CRF to run alone
                raise NerModelError(f"the NER model at {d} is a {meta['engine']} model: "
                                    "the crf engine needs an ensemble (or crf) model")
            return cls._crf_only(d, meta, names, capstats, nets[0])
        neural = [load_network(d, n, capstats) for n in nets]
        if not ensemble:
            # the stage's post-rules still want the stemmer (names.tsv is keyed by stems)
            return cls(None, FeatureExtractor(FeatureConfig(), None, load_stemmer()), meta, names, neural[0])
        from derek.ner.ensemble import CrfScorer, EnsembleNer

        fx = cls.crf_features(d, meta, capstats)
        scorer = CrfScorer(d / "crf_weights.npz", fx, neural[0].tags)
        return cls(None, fx, meta, names, EnsembleNer(neural, scorer, float(meta["neural_weight"])))

    @staticmethod
    def crf_features(d: Path, meta: dict, capstats) -> FeatureExtractor:
        """The feature extractor of an ensemble directory's CRF (its config, clusters and
        capitalisation map): what the tagger and silver-data training both build."""
        config = FeatureConfig.from_dict(meta.get("features", {}))
        clusters = None
        if config.clusters:
            clusters = load_clusters((d / "clusters.tsv").read_text(encoding="utf-8").splitlines())
        return FeatureExtractor(config, clusters, load_stemmer() if config.stems else None,
                                capstats if config.capstats else None)

    @classmethod
    def _crf_only(cls, d: Path, meta: dict, names, capstats, net: str) -> "NerTagger":
        """The ensemble directory's feature CRF alone, decoded in NumPy (faster, less accurate)."""
        from derek.ner.ensemble import CrfOnlyNer, CrfScorer

        tags = json.loads((d / f"{net}.json").read_text(encoding="utf-8"))["tags"]
        fx = cls.crf_features(d, meta, capstats)
        tagger = cls(None, fx, meta, names, CrfOnlyNer(CrfScorer(d / "crf_weights.npz", fx, tags), tags))
        tagger.engine_name = "crf"
        return tagger

    def tag_words(self, words: Sequence[str]) -> list[str]:
        if not words:
            return []
        if self.engine is not None:
            return self.engine.tag_words(words)
        return self.crf.tag(self.fx.sentence(words))

    def tag_sentences(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """Many sentences at once: the neural engines batch them (much faster than one by one)."""
        if self.engine is not None:
            return self.engine.tag_sentences(sentences)
        return [self.tag_words(w) for w in sentences]

    def entities(self, words: Sequence[str]) -> list[tuple[int, int, str]]:
        """-> [(first_token, last_token + 1, label)] from the IOB2 tags (an I- after O starts one)."""
        return iob_spans(self.tag_words(words))


def load_network(d: Path, name: str, capstats) -> NeuralNer:
    """The network `name` of a model directory: a BiLSTM-CRF, or a dilated-CNN-CRF when its
    <name>.json says "kind": "conv" (an unshipped experiment: derek/training/ner/conv_numpy.py)."""
    from derek.ner.neural import NeuralNer

    kind = json.loads((d / f"{name}.json").read_text(encoding="utf-8")).get("kind", "lstm")
    if kind == "conv":
        from derek.training.ner.conv_numpy import ConvNer

        return ConvNer.load(d, capstats=capstats, name=name)
    if kind != "lstm":
        raise NerModelError(f"the NER model at {d}: {name}.json names an unknown network kind {kind!r}")
    return NeuralNer.load(d, capstats=capstats, name=name)


def _crfsuite(d: Path):
    """python-crfsuite, which only a "crf" model directory needs (the shipped ensemble decodes
    its CRF in NumPy): imported here, so that a core install without it runs everything else."""
    try:
        import pycrfsuite
    except ModuleNotFoundError:
        raise NerModelError(f"the NER model at {d} is a python-crfsuite model: pip install 'derek[crf]'") from None
    return pycrfsuite


def iob_spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    out = []
    start, label = None, None
    for i, t in enumerate(list(tags) + ["O"]):
        bio, _, typ = t.partition("-")
        if start is not None and (bio != "I" or typ != label):
            out.append((start, i, label))
            start, label = None, None
        if bio == "B" or (bio == "I" and start is None):
            start, label = i, typ
    return out
