"""Silver NER training data: unlabeled Kazakh text tagged by a teacher model, kept only where
the teacher's two experts agree (tri-training style self-training).

The shipped ensemble holds two different taggers — the feature CRF and the BiLSTM-CRF — that
make different mistakes.  A sentence on which both, decoded alone, give exactly the same tag
sequence is far more often right than either's output in general, so those sentences are
added to the gold training data to teach the CRF the names and contexts of text it never saw.

Deterministic: files are read in the given order, sentences in file order; the kept sentences
are shuffled with a fixed seed and cut to a token budget, so the same corpus, teacher and
settings give the same silver file.  Tokenisation is derek's own tokenizer and sentence
splitter (what the ner stage tags at run time; KazNERD-like: suffixes stay on the word,
punctuation is split off).  The silver text is corpus text: write it outside the repository.

    python -m derek.training.ner.silver OUT.iob CORPUS.txt.xz... [--teacher DIR] [--tokens N]
"""
from __future__ import annotations

import json
import lzma
import random
from collections import Counter
from dataclasses import dataclass, field
from hashlib import blake2b
from pathlib import Path
from typing import Iterable, Iterator, Sequence

# the cased, news-like files of ../shared/data/kk_corpus, in the order they are read
# (kaznu_gov_lower is lower-cased: no capitalisation cue, the teacher would mislead the CRF)
DEFAULT_FILES = ("multidomain_subset.txt.xz", "adam_wikipedia.txt.xz", "kazqad_contexts.txt.xz",
                 "adam_cc100.txt.xz")


@dataclass
class SilverConfig:
    min_tokens: int = 4          # shorter "sentences" are headings and fragments
    max_tokens: int = 40         # long run-ons are where the splitter failed
    empty_share: float = 0.3     # entity-free agreeing sentences kept, as a share (hash-chosen)
    tokens: int = 130_000        # token budget of the silver set (about the gold's size)
    seed: int = 0
    min_letters: float = 0.5     # share of word tokens: drops tables, lists of numbers
    batch: int = 512
    balance: bool = True         # pick sentences to follow the gold data's entity-class mix
    files: list[str] = field(default_factory=list)


def sentences_of(text: str) -> list[list[str]]:
    """A paragraph -> its sentences as token strings, by derek's tokenizer and splitter."""
    from derek.text.tokenize import split_sentences, tokenize

    toks = tokenize(text)
    return [[text[t.start:t.end] for t in toks[a:b]] for a, b in split_sentences(text, toks)]


def read_paragraphs(paths: Sequence[Path]) -> Iterator[str]:
    for p in paths:
        opener = lzma.open if str(p).endswith(".xz") else open
        with opener(p, "rt", encoding="utf-8") as fh:
            for line in fh:
                line = line.strip()
                if line:
                    yield line


def usable(words: Sequence[str], cfg: SilverConfig) -> bool:
    """A sentence worth tagging: a plausible length, mostly words, starting with a capital
    or a digit or an opening quote (a fragment cut mid-sentence starts in lower case)."""
    if not cfg.min_tokens <= len(words) <= cfg.max_tokens:
        return False
    first = words[0][0]
    if not (first.isupper() or first.isdigit() or first in "«\"“("):
        return False
    wordy = sum(1 for w in words if w[0].isalpha())
    return wordy >= cfg.min_letters * len(words)


def has_entity(tags: Sequence[str]) -> bool:
    return any(t != "O" for t in tags)


_AFTER_STOP = set(".!?«\"“:(-–—")


def suspicious(words: Sequence[str], tags: Sequence[str]) -> bool:
    """A capitalised word mid-sentence tagged O: mostly a name both experts missed (or a
    garbled line), and a silver O there would teach the student to miss it too."""
    return any(tags[i] == "O" and words[i][:1].isupper() and words[i - 1] not in _AFTER_STOP
               for i in range(1, len(words)))


def class_counts(sents: Iterable[tuple[Sequence[str], Sequence[str]]]) -> tuple[Counter, int, int]:
    """-> (entities per class, tokens, entity-free sentences)."""
    from derek.ner.tagger import iob_spans

    counts: Counter = Counter()
    tokens = empty = 0
    for words, tags in sents:
        tokens += len(words)
        spans = iob_spans(tags)
        empty += not spans
        counts.update(label for _, _, label in spans)
    return counts, tokens, empty


def balanced(kept: Sequence[tuple[list[str], list[str]]], gold: Sequence[tuple[Sequence[str], Sequence[str]]],
             budget: int) -> list[tuple[list[str], list[str]]]:
    """Walk the (shuffled) agreeing sentences and keep one while it brings an entity class,
    or an entity-free sentence, that is still below its gold share of the token budget.
    Agreement favours the easy classes (GPE, PERSON, numbers); taken as they come, the silver
    would tilt the student's priors away from ORGANISATION, POSITION, FACILITY."""
    from derek.ner.tagger import iob_spans

    g_counts, g_tokens, g_empty = class_counts(gold)
    scale = budget / max(g_tokens, 1)
    target = {label: n * scale for label, n in g_counts.items()}
    have: Counter = Counter()
    empty_target, empty_have = g_empty * scale, 0
    out, n_tok = [], 0
    for words, tags in kept:
        if n_tok + len(words) > budget:
            continue
        labels = [label for _, _, label in iob_spans(tags)]
        if labels:
            if not any(have[label] < target.get(label, 0) for label in labels):
                continue
            have.update(labels)
        else:
            if empty_have >= empty_target:
                continue
            empty_have += 1
        out.append((words, tags))
        n_tok += len(words)
    return out


def _hash_fraction(words: Sequence[str], seed: int) -> float:
    """A stable pseudo-random number in [0, 1) for a sentence (independent of order and run)."""
    h = blake2b(f"{seed}\x00{' '.join(words)}".encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(h, "big") / 2 ** 64


def agreement(sentences: Sequence[Sequence[str]], tags_a: Sequence[Sequence[str]],
              tags_b: Sequence[Sequence[str]], cfg: SilverConfig) -> list[tuple[list[str], list[str]]]:
    """The sentences on which the two taggers agree exactly; of those without any entity only
    an `empty_share` (chosen by a hash of the text, so the choice does not depend on order)."""
    out = []
    for words, a, b in zip(sentences, tags_a, tags_b):
        if list(a) != list(b):
            continue
        if not has_entity(a) and _hash_fraction(words, cfg.seed) >= cfg.empty_share:
            continue
        if suspicious(words, a):
            continue
        out.append((list(words), list(a)))
    return out


class Teacher:
    """The two experts of an ensemble model directory, each decoded alone."""

    def __init__(self, model_dir: Path):
        from derek.ner.ensemble import CrfOnlyNer, CrfScorer
        from derek.ner.features import load_clusters
        from derek.ner.neural import NeuralNer
        from derek.ner.tagger import NerTagger

        d = Path(model_dir)
        meta = json.loads((d / "config.json").read_text(encoding="utf-8"))
        if meta.get("engine") != "ensemble":
            raise ValueError(f"the teacher must be an ensemble model directory (engine {meta.get('engine')!r})")
        capstats = load_clusters((d / "capstats.tsv").read_text(encoding="utf-8").splitlines())
        self.neural = NeuralNer.load(d, capstats=capstats, name=meta.get("neural_models", ["neural"])[0])
        fx = NerTagger.crf_features(d, meta, capstats)
        self.crf = CrfOnlyNer(CrfScorer(d / "crf_weights.npz", fx, self.neural.tags), self.neural.tags)

    def tag(self, sentences: Sequence[Sequence[str]]) -> tuple[list[list[str]], list[list[str]]]:
        return self.crf.tag_sentences(sentences), self.neural.tag_sentences(sentences)


def build(paths: Sequence[Path], teacher: Teacher, cfg: SilverConfig, log=print,
          gold: Sequence[tuple[Sequence[str], Sequence[str]]] | None = None) -> tuple[list, dict]:
    """-> (the silver [(words, tags)], statistics for the model's config.json); with `gold`
    (and cfg.balance) the sentences are chosen to follow its class mix (`balanced`)."""
    stats = {"files": [Path(p).name for p in paths], "paragraphs": 0, "sentences": 0, "tokens": 0,
             "agree_sentences": 0, "agree_with_entities": 0}
    kept: list[tuple[list[str], list[str]]] = []
    seen: set[str] = set()
    batch: list[list[str]] = []

    def flush() -> None:
        crf_tags, nn_tags = teacher.tag(batch)
        stats["agree_sentences"] += sum(1 for a, b in zip(crf_tags, nn_tags) if a == b)
        stats["agree_with_entities"] += sum(1 for a, b in zip(crf_tags, nn_tags) if a == b and has_entity(a))
        kept.extend(agreement(batch, crf_tags, nn_tags, cfg))
        batch.clear()

    for para in read_paragraphs(paths):
        stats["paragraphs"] += 1
        for words in sentences_of(para):
            key = " ".join(words).lower()
            if not usable(words, cfg) or key in seen:
                continue
            seen.add(key)
            stats["sentences"] += 1
            stats["tokens"] += len(words)
            batch.append(words)
            if len(batch) >= cfg.batch:
                flush()
        if stats["paragraphs"] % 2000 == 0:
            log(f"  {stats['paragraphs']} paragraphs, {stats['sentences']} sentences, {len(kept)} kept")
    if batch:
        flush()
    stats["kept_before_budget"] = len(kept)
    random.Random(cfg.seed).shuffle(kept)
    if gold is not None and cfg.balance:
        silver = balanced(kept, gold, cfg.tokens)
    else:
        silver, n_tok = [], 0
        for words, tags in kept:
            if n_tok + len(words) > cfg.tokens:
                break
            silver.append((words, tags))
            n_tok += len(words)
    n_tok = sum(len(w) for w, _ in silver)
    stats.update(silver_sentences=len(silver), silver_tokens=n_tok,
                 silver_with_entities=sum(1 for _, t in silver if has_entity(t)),
                 filter=f"CRF-alone == BiLSTM-alone tags; {cfg.min_tokens}-{cfg.max_tokens} tokens; "
                        f"no capitalised mid-sentence O; entity-free kept at share {cfg.empty_share}; "
                        f"{'gold class mix; ' if gold is not None and cfg.balance else ''}seed {cfg.seed}")
    return silver, stats


def write_iob(sents: Iterable[tuple[Sequence[str], Sequence[str]]], out) -> None:
    for words, tags in sents:
        out.write("".join(f"{w} {t}\n" for w, t in zip(words, tags)) + "\n")


def combined_file(gold: Path, silver: Sequence[tuple[Sequence[str], Sequence[str]]], tmp_dir: Path) -> Path:
    """Gold then silver in one IOB2 file under `tmp_dir` (a temporary folder: never the repo)."""
    path = Path(tmp_dir) / "gold+silver.iob"
    with open(path, "w", encoding="utf-8") as out:
        text = Path(gold).read_text(encoding="utf-8").rstrip("\n")
        out.write(text + "\n\n")
        write_iob(silver, out)
    return path


def ensemble_with(out: Path, neural_dir: Path, gold: Path, crf_meta: dict, silver_stats: dict | None,
                  dev_file: Path | None, log=print) -> dict:
    """Turn a freshly trained CRF directory into an ensemble directory: `neural_dir`'s
    BiLSTM-CRF(s) and mixing weight, this CRF's exported weights, names.tsv from the gold data
    only (the stage's name rules should not learn from the teacher's guesses)."""
    import shutil

    from derek.ner.tagger import load_stemmer
    from derek.training.ner.export import crf_to_ensemble_weights, write_config
    from derek.training.ner.gazetteer import build as build_names

    neural_dir, out = Path(neural_dir), Path(out)
    meta = json.loads((neural_dir / "config.json").read_text(encoding="utf-8"))
    crf_to_ensemble_weights(out)
    for name in meta.get("neural_models", ["neural"]):
        for ext in (".npz", ".json", "_words.txt"):
            shutil.copyfile(neural_dir / f"{name}{ext}", out / f"{name}{ext}")
    build_names(gold, out / "names.tsv", load_stemmer())
    meta.pop("dev", None)
    meta.setdefault("neural_train_file", meta.get("train_file"))  # the network is kept as it was
    meta.update(features=crf_meta["features"], params=crf_meta["params"], train_file=Path(gold).name,
                train_tokens=crf_meta["train_tokens"], crf_train_seconds=crf_meta["train_seconds"])
    if silver_stats:
        meta["silver"] = silver_stats
    return write_config(out, meta, dev_file, log, what="ensemble ")


def main(argv: Sequence[str] | None = None) -> None:
    import argparse

    ap = argparse.ArgumentParser(description="Build a silver IOB2 file from unlabeled text.")
    ap.add_argument("out", type=Path)
    ap.add_argument("corpus", type=Path, nargs="+", help="*.txt or *.txt.xz files, one paragraph a line")
    ap.add_argument("--teacher", type=Path, default=None, help="ensemble model dir (default: shipped)")
    ap.add_argument("--tokens", type=int, default=SilverConfig.tokens)
    ap.add_argument("--empty-share", type=float, default=SilverConfig.empty_share)
    ap.add_argument("--gold", type=Path, help="IOB2 gold file whose class mix the silver follows")
    a = ap.parse_args(argv)
    from derek.ner.tagger import default_model_dir
    from derek.training.ner.data import read_iob

    cfg = SilverConfig(tokens=a.tokens, empty_share=a.empty_share)
    gold = read_iob(a.gold) if a.gold else None
    silver, stats = build(a.corpus, Teacher(a.teacher or default_model_dir()), cfg, gold=gold)
    with open(a.out, "w", encoding="utf-8") as fh:
        write_iob(silver, fh)
    Path(str(a.out) + ".json").write_text(json.dumps(stats, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(stats, ensure_ascii=False))


if __name__ == "__main__":
    main()
