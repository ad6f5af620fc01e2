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
    max_iterations: int = typer.Option(200, "--max-iterations", help="L-BFGS iterations."),
    c1: float = typer.Option(None, "--c1", help="L1 penalty (default: the shipped model's)."),
    c2: float = typer.Option(None, "--c2", help="L2 penalty (default: the shipped model's)."),
) -> None:
    """Train the CRF NER model with the shipped model's feature set (deterministic)."""
    import json

    from derek.ner.features import FeatureConfig
    from derek.ner.tagger import default_model_dir
    from derek.training.ner.data import IOBFormatError
    from derek.training.ner.train import DEFAULT_PARAMS, train as run_train

    for p in (train, dev):
        if not p.is_file():
            raise UsageError(f"cannot read {p}")
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
        meta = run_train(train, out, config, dev_file=dev, clusters_path=clusters,
                         capstats_path=capstats, params=params,
                         log=lambda m: typer.echo(m, err=True))
    except IOBFormatError as exc:
        raise UsageError(str(exc)) from None
    typer.echo(f"model written to {out} (dev micro-F1 {meta['dev']['micro_f1']:.4f})")
