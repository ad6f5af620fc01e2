"""`derek train …`: train derek's models from annotated files (training code is imported
only inside the commands)."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from derek.cli import UsageError, app

train_app = typer.Typer(help="Train derek's models.", no_args_is_help=True)
app.add_typer(train_app, name="train")


@train_app.command("ner")
def ner(
    train: Path = typer.Option(..., "--train", help="IOB2 training file (token TAG per line)."),
    dev: Path = typer.Option(..., "--dev", help="IOB2 file scored after training (reported, not tuned on)."),
    out: Path = typer.Option(..., "--out", help="Output model directory (like derek/ner/model)."),
    clusters: Optional[Path] = typer.Option(
        None, "--clusters",
        help="Word-cluster map (TSV) for the cluster features; default: the shipped model's clusters.tsv."),
    capstats: Optional[Path] = typer.Option(
        None, "--capstats",
        help="Capitalisation-statistics map (TSV); default: the shipped model's capstats.tsv."),
    corpus: Optional[Path] = typer.Option(
        None, "--corpus",
        help="Build the cluster and capitalisation maps from this folder of unlabeled *.txt.xz text instead."),
    engine: str = typer.Option(
        "ensemble", "--engine",
        help="ensemble (shipped): feature CRF + BiLSTM-CRF; neural: the BiLSTM-CRF alone; crf: the CRF alone. "
             "ensemble and neural need torch to train: pip install torch==2.13.0."),
    neural_weight: float = typer.Option(None, "--neural-weight",
                                        help="Ensemble: the BiLSTM-CRF's share of the mixed scores (default: the shipped model's)."),
    epochs: int = typer.Option(None, "--epochs", help="Neural engine: training epochs (default: the shipped model's)."),
    max_iterations: int = typer.Option(200, "--max-iterations", help="CRF engine: L-BFGS iterations."),
    c1: float = typer.Option(None, "--c1", help="L1 penalty (default: the shipped model's)."),
    c2: float = typer.Option(None, "--c2", help="L2 penalty (default: the shipped model's)."),
    silver: Optional[Path] = typer.Option(
        None, "--silver", help="Silver IOB2 file (python -m derek.training.ner.silver) added to --train."),
    silver_corpus: Optional[Path] = typer.Option(
        None, "--silver-corpus",
        help="Build the silver data from this kk_corpus folder's cased files, tagged by --teacher, "
             "kept where its CRF and BiLSTM-CRF agree (derek/training/ner/silver.py)."),
    teacher: Optional[Path] = typer.Option(None, "--teacher",
                                           help="Ensemble model that tags the silver data (default: the shipped one)."),
    silver_tokens: int = typer.Option(130_000, "--silver-tokens", help="Token budget of the silver data."),
    ensemble_with: Optional[Path] = typer.Option(
        None, "--ensemble-with",
        help="Engine crf: write an ensemble directory that mixes the new CRF with this model directory's "
             "BiLSTM-CRF (and uses its word maps)."),
    fine_tune: Optional[Path] = typer.Option(
        None, "--fine-tune",
        help="Train this ensemble directory's two experts jointly on --train, starting from its weights "
             "(derek/training/ner/joint.py; --epochs, default 3)."),
) -> None:
    """Train the NER model (fixed seeds: the same data and settings give the same model)."""
    import tempfile

    if fine_tune is not None:
        return _fine_tune(train, dev, out, fine_tune, epochs or 3)

    with tempfile.TemporaryDirectory(prefix="derek-silver-") as tmp:
        _ner(train, dev, out, clusters, capstats, corpus, engine, neural_weight, epochs, max_iterations, c1, c2,
             silver, silver_corpus, teacher, silver_tokens, ensemble_with, Path(tmp))


def _fine_tune(train: Path, dev: Path, out: Path, init: Path, epochs: int) -> None:
    import json

    from derek.training.ner.data import IOBFormatError, read_iob

    cfg = init / "config.json"
    if not cfg.is_file() or json.loads(cfg.read_text(encoding="utf-8")).get("engine") != "ensemble":
        raise UsageError(f"--fine-tune needs an ensemble model directory, not {init}")
    try:
        for p in (train, dev):
            read_iob(p)
    except OSError as exc:
        raise UsageError(f"cannot read {exc.filename}") from None
    except IOBFormatError as exc:
        raise UsageError(str(exc)) from None
    try:
        from derek.training.ner.joint import fine_tune_dir
    except ImportError:
        raise UsageError("joint training needs torch: pip install torch==2.13.0") from None
    meta = fine_tune_dir(train, out, init, dev, epochs, log=lambda m: typer.echo(m, err=True))
    typer.echo(f"model written to {out} (dev micro-F1 {meta['dev']['micro_f1']:.4f})")


def _silver(train: Path, silver: Path | None, corpus: Path | None, teacher: Path | None, tokens: int,
            tmp: Path) -> tuple[Path, dict | None]:
    """The training file with the silver sentences added (in `tmp`), and the silver's provenance."""
    from derek.ner.tagger import default_model_dir
    from derek.training.ner import silver as sv
    from derek.training.ner.data import IOBFormatError, read_iob

    if silver is not None and corpus is not None:
        raise UsageError("give --silver or --silver-corpus, not both")
    if silver is not None:
        if not silver.is_file():
            raise UsageError(f"cannot read {silver}")
        try:
            sents = read_iob(silver)
        except IOBFormatError as exc:
            raise UsageError(str(exc)) from None
        stats = {"file": silver.name, "silver_sentences": len(sents), "silver_tokens": sum(len(w) for w, _ in sents)}
    else:
        files = [corpus / f for f in sv.DEFAULT_FILES] if corpus.is_dir() else []
        if not files or not all(f.is_file() for f in files):
            raise UsageError(f"{corpus} lacks the corpus files {', '.join(sv.DEFAULT_FILES)}")
        try:
            sents, stats = sv.build(files, sv.Teacher(teacher or default_model_dir()),
                                    sv.SilverConfig(tokens=tokens), log=lambda m: typer.echo(m, err=True),
                                    gold=read_iob(train))
        except (OSError, ValueError, KeyError) as exc:
            raise UsageError(f"cannot use the teacher model: {exc}") from None
    typer.echo(f"silver: {stats['silver_sentences']} sentences, {stats['silver_tokens']} tokens", err=True)
    return sv.combined_file(train, sents, tmp), stats


def _ner(train, dev, out, clusters, capstats, corpus, engine, neural_weight, epochs, max_iterations, c1, c2,
         silver, silver_corpus, teacher, silver_tokens, ensemble_with, tmp: Path) -> None:
    import json

    from derek.ner.features import FeatureConfig
    from derek.ner.tagger import default_model_dir
    from derek.training.ner.data import IOBFormatError
    from derek.training.ner.train import DEFAULT_PARAMS, train as run_train

    for p in (train, dev):
        if not p.is_file():
            raise UsageError(f"cannot read {p}")
    from derek.training.ner.data import IOBFormatError as _BadIOB
    from derek.training.ner.data import read_iob

    try:  # a malformed file fails now, in one line, not after minutes of training
        for p in (train, dev):
            read_iob(p)
    except _BadIOB as exc:
        raise UsageError(str(exc)) from None
    if engine not in ("ensemble", "neural", "crf"):
        raise UsageError(f"unknown engine {engine!r}: use ensemble, neural or crf")
    if ensemble_with is not None:
        if engine != "crf":
            raise UsageError("--ensemble-with goes with --engine crf")
        if not (ensemble_with / "config.json").is_file():
            raise UsageError(f"no model directory at {ensemble_with}")
        if corpus is not None:
            raise UsageError("--ensemble-with keeps that model's word maps: leave out --corpus")
        clusters = clusters or ensemble_with / "clusters.tsv"  # the network reads the same maps
        capstats = capstats or ensemble_with / "capstats.tsv"
    gold, silver_stats = train, None
    if silver is not None or silver_corpus is not None:
        train, silver_stats = _silver(train, silver, silver_corpus, teacher, silver_tokens, tmp)
    if engine != "crf":
        if silver_stats is not None:
            typer.echo("note: the silver data is used, but its provenance is not recorded in config.json", err=True)
        return _train_neural(engine, train, dev, out, clusters, capstats, corpus, epochs, neural_weight,
                             max_iterations, c1, c2)
    shipped = json.loads((default_model_dir() / "config.json").read_text(encoding="utf-8"))
    config = FeatureConfig.from_dict(shipped["features"])
    params = {**DEFAULT_PARAMS, **shipped.get("params", {}), "max_iterations": max_iterations}
    if c1 is not None:
        params["c1"] = c1
    if c2 is not None:
        params["c2"] = c2
    if corpus is not None:
        if not corpus.is_dir() or not list(corpus.glob("*.txt.xz")):
            raise UsageError(f"no *.txt.xz files in {corpus}")
        out.mkdir(parents=True, exist_ok=True)
        texts = sorted(corpus.glob("*.txt.xz"))
        if config.clusters:
            from derek.training.ner.clusters import build as build_clusters

            clusters = out / "clusters.build.tsv"
            build_clusters(texts, clusters)
        if config.capstats:
            from derek.training.ner.lexstats import build as build_capstats

            capstats = out / "capstats.build.tsv"
            build_capstats(texts, capstats)
    clusters = clusters or default_model_dir() / "clusters.tsv"
    capstats = capstats or default_model_dir() / "capstats.tsv"
    for used, path in ((config.clusters, clusters), (config.capstats, capstats)):
        if used and not path.is_file():
            raise UsageError(f"cannot read the word map {path}")
    try:
        meta = run_train(train, out, config, dev_file=None if ensemble_with else dev, clusters_path=clusters,
                         capstats_path=capstats, params=params,
                         log=lambda m: typer.echo(m, err=True))
    except IOBFormatError as exc:
        raise UsageError(str(exc)) from None
    if ensemble_with is None and silver_stats is not None:
        from derek.training.ner.gazetteer import build as build_names
        from derek.ner.tagger import load_stemmer

        build_names(gold, out / "names.tsv", load_stemmer())  # the stage's name rules: gold names only
    if ensemble_with is not None:
        from derek.training.ner.silver import ensemble_with as make_ensemble

        meta = make_ensemble(out, ensemble_with, gold, meta, silver_stats, dev,
                             log=lambda m: typer.echo(m, err=True))
    elif silver_stats is not None:
        meta["silver"] = silver_stats
        (out / "config.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    typer.echo(f"model written to {out} (dev micro-F1 {meta['dev']['micro_f1']:.4f})")


def _train_neural(engine: str, train: Path, dev: Path, out: Path, clusters: Path | None, capstats: Path | None,
                  corpus: Path | None, epochs: int | None, neural_weight: float | None,
                  max_iterations: int, c1: float | None, c2: float | None) -> None:
    import json

    from derek.ner.features import FeatureConfig
    from derek.ner.tagger import default_model_dir
    from derek.training.ner.data import IOBFormatError
    from derek.training.ner.train import DEFAULT_PARAMS

    try:
        from derek.training.ner import neural
    except ImportError:
        raise UsageError("training the neural model needs torch: pip install torch==2.13.0 "
                         "(or --engine crf)") from None
    if corpus is not None:
        if not corpus.is_dir() or not list(corpus.glob("*.txt.xz")):
            raise UsageError(f"no *.txt.xz files in {corpus}")
        from derek.training.ner.clusters import build as build_clusters
        from derek.training.ner.lexstats import build as build_capstats

        out.mkdir(parents=True, exist_ok=True)
        texts = sorted(corpus.glob("*.txt.xz"))
        clusters = out / "clusters.build.tsv"
        build_clusters(texts, clusters)  # also writes the word vectors, clusters.build.tsv.emb.npy
        capstats = out / "capstats.build.tsv"
        build_capstats(texts, capstats)
    if clusters is None or not Path(str(clusters) + ".emb.npy").is_file():
        raise UsageError("the neural model starts from word vectors: give --corpus ../shared/data/kk_corpus, "
                         "or --clusters FILE with FILE.emb.npy beside it (python -m derek.training.ner.clusters)")
    capstats = capstats or default_model_dir() / "capstats.tsv"
    if not capstats.is_file():
        raise UsageError(f"cannot read the word map {capstats}")
    shipped = json.loads((default_model_dir() / "config.json").read_text(encoding="utf-8"))
    # the shipped model's networks and their settings (threads: as many as this machine allows)
    nets = [dict(n) for n in shipped.get("nets", [{"name": "neural"}])]
    for n in nets:
        if epochs is not None:
            n["epochs"] = epochs
    hp = {k: v for k, v in nets[0].items() if k != "name"}
    log = lambda m: typer.echo(m, err=True)  # noqa: E731
    try:
        if engine == "neural":
            meta = neural.train_model_dir(train, out, clusters, capstats, dev, hp, log=log)
        else:
            params = {**DEFAULT_PARAMS, **shipped.get("params", {}), "max_iterations": max_iterations}
            params.update({k: v for k, v in (("c1", c1), ("c2", c2)) if v is not None})
            weight = neural_weight if neural_weight is not None else shipped.get("neural_weight", 0.3)
            meta = neural.train_ensemble_dir(train, out, clusters, capstats, dev,
                                             FeatureConfig.from_dict(shipped["features"]), params, weight,
                                             nets, log=log)
    except IOBFormatError as exc:
        raise UsageError(str(exc)) from None
    typer.echo(f"model written to {out} (dev micro-F1 {meta['dev']['micro_f1']:.4f})")
