"""`derek eval …`: evaluation commands (lemma accuracy on UD Kazakh-KTB; NER is added here
by the NER module)."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from derek.cli import NerEngine, UsageError, app, ner_option, use_ner

eval_app = typer.Typer(help="Evaluate derek's components on held-out data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")

UD_DEFAULT = Path("../shared/data/ud_kazakh_ktb")


@eval_app.command("lemma")
def lemma(
    files: Optional[List[Path]] = typer.Option(
        None, "--files", "-f",
        help="CoNLL-U files (default: both files of ../shared/data/ud_kazakh_ktb)."),
    errors: int = typer.Option(0, "--errors", help="Show this many wrong NOUN/PROPN lemmas."),
) -> None:
    """Lemma accuracy per UD part of speech; last line: NOUN+PROPN accuracy."""
    from derek.morph.ud_eval import evaluate, read_conllu

    paths = list(files or sorted(UD_DEFAULT.glob("*.conllu")))
    if not paths:
        raise UsageError(f"no .conllu files given and none found in {UD_DEFAULT}")
    for p in paths:
        if not p.is_file():
            raise UsageError(f"cannot read {p}")
    rows = [r for p in paths for r in read_conllu(p)]
    if not rows:
        raise UsageError("no tokens found in the given CoNLL-U files")
    report = evaluate(rows)
    typer.echo(f"{'POS':<8}{'tokens':>8}{'correct':>9}{'accuracy':>10}")
    for pos, (n, ok) in sorted(report.per_pos.items(), key=lambda kv: -kv[1][0]):
        typer.echo(f"{pos:<8}{n:>8}{ok:>9}{ok / n:>10.4f}")
    typer.echo(f"{'ALL':<8}{report.total:>8}{report.correct:>9}{report.accuracy:>10.4f}")
    for form, gold, got, pos in report.errors[:errors]:
        typer.echo(f"  {pos:<6} {form} -> {got} (gold {gold})")
    typer.echo(f"files {len(paths)}, exact match (UD lower-cases all lemmas but PROPN; so does derek); "
               f"{report.words_per_s:,.0f} words/s")
    n, ok = report.nominal
    typer.echo(f"NOUN+PROPN accuracy {ok / n:.4f} ({ok}/{n}); all-POS {report.accuracy:.4f}")


KAZNERD_LABELS = ["ADAGE", "ART", "CARDINAL", "CONTACT", "DATE", "DISEASE", "EVENT", "FACILITY", "GPE",
                  "LANGUAGE", "LAW", "LOCATION", "MISCELLANEOUS", "MONEY", "NON_HUMAN", "NORP", "ORDINAL",
                  "ORGANISATION", "PERCENTAGE", "PERSON", "POSITION", "PRODUCT", "PROJECT", "QUANTITY", "TIME"]


@eval_app.command("ner")
def ner(
    test: Path = typer.Option(..., "--test", help="IOB2 file (e.g. ../shared/data/kaznerd/IOB2_test.txt)."),
    model: Optional[Path] = typer.Option(None, "--model", help="Model directory (default: the shipped model)."),
    engine: Optional[NerEngine] = ner_option(),
) -> None:
    """Entity-level exact-match P/R/F1 per class (seqeval-style IOB2); last line: micro-F1."""
    import time

    choice = use_ner(engine)

    from derek.ner.tagger import NerModelError, NerTagger
    from derek.training.ner.data import IOBFormatError, read_iob
    from derek.training.ner.metrics import format_table, score

    if not test.is_file():
        raise UsageError(f"cannot read {test}")
    try:
        tagger = NerTagger.load(model, engine=choice.engine)
        sents = read_iob(test)
    except (NerModelError, IOBFormatError) as exc:
        raise UsageError(str(exc)) from None
    if not sents:
        raise UsageError(f"no sentences in {test}")
    t0 = time.perf_counter()
    pred = tagger.tag_sentences([words for words, _ in sents])
    dt = time.perf_counter() - t0
    table = score([tags for _, tags in sents], pred)
    labels = sorted(set(KAZNERD_LABELS) | {k for k in table if k != "micro"})
    n_tok = sum(len(w) for w, _ in sents)
    typer.echo(f"{len(sents)} sentences, {n_tok} tokens, tagged at {n_tok / dt:,.0f} tokens/s")
    typer.echo(format_table(table, labels))


@eval_app.command("claims")
def claims(
    gold_dir: Path = typer.Argument(..., help="Folder of NNN.txt + NNN.json gold articles (e.g. ../shared/data/news_dev2)."),
    errors: int = typer.Option(0, "--errors", help="Show this many wrong frame slots."),
) -> None:
    """Frame accuracy per slot (indicator family, geography, statistic type, period, unit, scope)
    of derek's claims against the gold claims' frames; last line: the mean over the slots."""
    from derek.claims.frame_eval import SLOTS, evaluate_frames

    if not gold_dir.is_dir():
        raise UsageError(f"cannot read {gold_dir}")
    report = evaluate_frames(gold_dir, errors)
    if not report.claims:
        raise UsageError(f"no gold claims with a frame in {gold_dir}")
    typer.echo(f"{report.claims} gold claims with a frame, {report.found} found by derek")
    typer.echo(f"{'slot':<12}{'right':>7}{'accuracy':>10}")
    for slot in SLOTS:
        typer.echo(f"{slot:<12}{report.right[slot]:>7}{report.accuracy(slot):>10.4f}")
    for line in report.errors:
        typer.echo("  " + line)
    mean = sum(report.accuracy(s) for s in SLOTS) / len(SLOTS)
    typer.echo(f"frame accuracy (mean over slots) {mean:.4f}")
