"""Distil the ensemble's BiLSTM-CRF into a dilated-CNN (derek/training/ner/conv_numpy.py) that mimics its emissions.

    python -m derek.training.ner.distil TRAIN.iob OUT_DIR --teacher derek/ner/model \
        --init DIR --corpus ../shared/data/kk_corpus [--tokens 500000] [--test TEST.iob]

--init: a conv network directory to go on from, or a BiLSTM-CRF directory (the teacher's,
usually) for a new network on its token vectors (--hidden, --dilations, --window, --local).

Why: the shipped ensemble's network is a BiLSTM, and at inference it walks each sentence step
by step; a convolutional network does each layer as one matrix product, but trained on the 11k
gold sentences alone it learns less than the BiLSTM did.  Here it learns the BiLSTM's own
emission scores instead — on the gold sentences and on unlabeled corpus sentences, as many
as we care to tag — so the ensemble keeps its CRF, its transitions and (as far as the
student matches) its decisions.  Measured, not shipped: docs/models.md.

The loss is the squared error between the student's and the teacher's emissions, each raised
to the token's best score − 15 and centred (`_squash`: a constant added to every tag's score
at a token changes no decision).  The student keeps the teacher's transitions, start and end
scores; the ensemble directory written after each epoch is the teacher's with the network
swapped (config.json's neural_models = ["conv"]), scored on TEST when given.  Corpus text
stays in memory: nothing of it is written.
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import time
from pathlib import Path

import numpy as np
import torch

from derek.ner.features import load_clusters
from derek.ner.neural import NeuralNer, Positions, WordEncoder
from derek.training.ner.conv import ConvModel, export
from derek.training.ner.data import read_iob
from derek.training.ner.neural import tensorize
from derek.training.ner.silver import DEFAULT_FILES, SilverConfig, read_paragraphs, sentences_of, usable

_KEPT = ("capstats.tsv", "clusters.tsv", "names.tsv", "crf_weights.npz")


def corpus_sentences(corpus: Path, budget: int, files: tuple[str, ...] = DEFAULT_FILES + ("books_sample.txt.xz",),
                     seed: int = 0) -> list[list[str]]:
    """Usable sentences (silver.py's filter) from the corpus files in order, up to `budget` tokens."""
    cfg = SilverConfig(max_tokens=60)
    out, n, seen = [], 0, set()
    for f in files:
        for para in read_paragraphs([corpus / f]):
            for words in sentences_of(para):
                key = " ".join(words)
                if key in seen or not usable(words, cfg):
                    continue
                seen.add(key)
                out.append(words)
                n += len(words)
                if n >= budget:
                    random.Random(seed).shuffle(out)
                    return out
    random.Random(seed).shuffle(out)
    return out


def teacher_emissions(teacher: NeuralNer, sentences: list[list[str]], batch: int = 128) -> list[np.ndarray]:
    """The teacher network's emissions (tokens, tags) per sentence, float16."""
    out: list[np.ndarray] = [None] * len(sentences)  # type: ignore[list-item]
    order = sorted(range(len(sentences)), key=lambda i: -len(sentences[i]))
    for a in range(0, len(order), batch):
        ids = order[a:a + batch]
        group = [sentences[i] for i in ids]
        lens = [len(s) for s in group]
        em = teacher.token_emissions(group, Positions(lens))
        for i, part in zip(ids, np.split(em, np.cumsum(lens)[:-1])):
            out[i] = part.astype(np.float16)
    return out


def write_ensemble(teacher_dir: Path, student_dir: Path, out: Path) -> None:
    """The teacher's ensemble directory with its network replaced by the student."""
    out.mkdir(parents=True, exist_ok=True)
    for f in _KEPT:
        if (teacher_dir / f).is_file():
            shutil.copyfile(teacher_dir / f, out / f)
    for f in ("conv.npz", "conv.json", "conv_words.txt"):
        if (student_dir / f).resolve() != (out / f).resolve():
            shutil.copyfile(student_dir / f, out / f)
    meta = json.loads((teacher_dir / "config.json").read_text(encoding="utf-8"))
    meta.pop("dev", None)
    hp = json.loads((out / "conv.json").read_text(encoding="utf-8"))["hp"]
    meta.update(neural_models=["conv"], nets=[{"name": "conv", **hp}])
    (out / "config.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _squash(em: torch.Tensor, floor: float = 15.0) -> torch.Tensor:
    """Emissions raised to (the token's best - floor), then centred: below that floor a tag is
    out of the running whatever its score, and matching such scores would spend the student's
    capacity on nothing (the teacher's spread reaches 40 and more)."""
    em = torch.maximum(em, em.max(2, keepdim=True).values - floor)
    return em - em.mean(2, keepdim=True)


def fresh_student(teacher_dir: Path, hp: dict) -> tuple[ConvModel, dict]:
    """A new conv network whose token vectors are the teacher's: its word vectors, character
    CNN, shape and capitalisation embeddings copied (and trained on from there)."""
    from derek.training.ner.conv import HP

    meta = json.loads((teacher_dir / "neural.json").read_text(encoding="utf-8"))
    hp = {**HP, **{k: v for k, v in meta["hp"].items() if k in ("char_dim", "char_filters", "shape_dim", "cap_dim")},
          **hp}
    with np.load(teacher_dir / "neural.npz") as z:
        w = {k: torch.tensor(z[k].astype(np.float32)) for k in
             ("word_emb", "char_emb", "char_conv", "char_conv_b", "shape_emb", "cap_emb")}
    model = ConvModel(w["word_emb"].numpy(), len(meta["chars"]) + 2, len(meta["shapes"]) + 2, len(meta["tags"]), hp)
    with torch.no_grad():
        model.char_emb.weight.copy_(w["char_emb"])
        model.char_conv.weight.copy_(w["char_conv"].T)
        model.char_conv.bias.copy_(w["char_conv_b"])
        model.shape_emb.weight.copy_(w["shape_emb"])
        model.cap_emb.weight.copy_(w["cap_emb"])
    return model, {**meta, "hp": hp}


def load_student(init: Path, hp_over: dict) -> tuple[ConvModel, dict]:
    meta = json.loads((init / "conv.json").read_text(encoding="utf-8"))
    hp = {**meta["hp"], **hp_over}
    with np.load(init / "conv.npz") as z:
        w = {k: torch.tensor(z[k].astype(np.float32)) for k in z.files if k != "dilations"}
    model = ConvModel(w["word_emb"].numpy(), len(meta["chars"]) + 2, len(meta["shapes"]) + 2, len(meta["tags"]), hp)
    sd = {"word_emb.weight": w["word_emb"], "char_emb.weight": w["char_emb"], "char_conv.weight": w["char_conv"].T,
          "char_conv.bias": w["char_conv_b"], "shape_emb.weight": w["shape_emb"], "cap_emb.weight": w["cap_emb"],
          "conv0.weight": w["conv0_w"].T, "conv0.bias": w["conv0_b"], "out.weight": w["out_w"].T,
          "out.bias": w["out_b"], "trans": w["crf_trans"], "start": w["crf_start"], "end": w["crf_end"]}
    for k in range(len(model.dilations)):
        sd[f"convs.{k}.weight"] = w[f"conv{k + 1}_w"].T
        sd[f"convs.{k}.bias"] = w[f"conv{k + 1}_b"]
    model.load_state_dict({k: v.contiguous() for k, v in sd.items()})
    return model, meta


def train(train_file: Path, out: Path, teacher_dir: Path, init: Path, corpus: Path | None, tokens: int,
          test_file: Path | None, epochs: int, lr: float, hp_over: dict, seed: int = 0, log=print,
          decay: float = 0.7) -> dict:
    from derek.training.ner.train import evaluate_dir

    random.seed(seed), np.random.seed(seed), torch.manual_seed(seed)
    torch.set_num_threads(1)
    torch.set_flush_denormal(True)
    rng = random.Random(seed)
    capstats = load_clusters((teacher_dir / "capstats.tsv").read_text(encoding="utf-8").splitlines())
    teacher = NeuralNer.load(teacher_dir, capstats=capstats)
    if (init / "conv.json").is_file():
        model, meta = load_student(init, hp_over)
        words_file = init / "conv_words.txt"
    else:  # a BiLSTM-CRF directory (the teacher's, usually): a fresh student on its token vectors
        model, meta = fresh_student(init, hp_over)
        words_file = init / "neural_words.txt"
    words = words_file.read_text(encoding="utf-8").split("\n")
    with torch.no_grad():  # the student decodes with the teacher's CRF
        model.trans.copy_(torch.tensor(teacher.w["crf_trans"]))
        model.start.copy_(torch.tensor(teacher.w["crf_start"]))
        model.end.copy_(torch.tensor(teacher.w["crf_end"]))
    enc = WordEncoder(words, meta["chars"], meta["shapes"], capstats)
    t0 = time.time()
    sents = [w for w, _ in read_iob(train_file)]
    if corpus is not None and tokens:
        sents += corpus_sentences(corpus, tokens, seed=seed)
    log(f"{len(sents)} sentences, {sum(map(len, sents))} tokens ({time.time() - t0:.0f}s)")
    t0 = time.time()
    targets = teacher_emissions(teacher, sents)
    log(f"teacher emissions {time.time() - t0:.0f}s")
    data = [([enc.encode(w) for w in s], em) for s, em in zip(sents, targets)]
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    history = []
    order = sorted(range(len(data)), key=lambda i: (len(data[i][0]), rng.random()))
    batches = [order[a:a + 32] for a in range(0, len(order), 32)]
    for epoch in range(epochs):
        t0, total, n_tok = time.time(), 0.0, 0
        rng.shuffle(batches)
        model.train()
        for ids in batches:
            items = [(data[i][0], [0] * len(data[i][0])) for i in ids]
            batch = tensorize(items)
            b, t = batch["words"].shape
            target = torch.zeros(b, t, len(meta["tags"]))
            for j, i in enumerate(ids):
                em = data[i][1]
                target[j, :len(em)] = torch.from_numpy(em.astype(np.float32))
            pred = model.emissions(batch)
            diff = _squash(pred) - _squash(target)
            mask = batch["mask"][:, :, None]
            loss = (diff.pow(2) * mask).sum() / mask.sum()
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            total += loss.item() * float(mask.sum())
            n_tok += int(mask.sum())
        for g in opt.param_groups:
            g["lr"] *= decay
        student = out / "student"
        export(model, student, words, meta["chars"], meta["shapes"], meta["tags"], {**meta["hp"], **hp_over})
        ens = out / f"epoch{epoch + 1}"
        write_ensemble(teacher_dir, student, ens)
        f1 = evaluate_dir(ens, test_file)["micro"]["f1"] if test_file else None
        history.append({"epoch": epoch + 1, "mse": round(total / n_tok, 4), "test_f1": f1 and round(f1, 4)})
        log(f"epoch {epoch + 1} mse {total / n_tok:.4f} {time.time() - t0:.0f}s"
            + (f" ensemble test micro-F1 {f1:.4f}" if f1 else ""))
    return {"history": history}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("train", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--teacher", type=Path, required=True, help="the ensemble directory with the BiLSTM-CRF")
    ap.add_argument("--init", type=Path, required=True,
                    help="a conv network directory to go on from, or a BiLSTM-CRF directory (usually the "
                         "teacher's) for a new network on its token vectors (--hidden, --dilations, --window, --local)")
    ap.add_argument("--corpus", type=Path)
    ap.add_argument("--tokens", type=int, default=500_000)
    ap.add_argument("--test", type=Path)
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--dropout", type=float, default=0.2)
    ap.add_argument("--inner-dropout", type=float, default=0.1)
    ap.add_argument("--decay", type=float, default=0.7, help="learning rate factor after each epoch")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--dilations", default="2,4")
    ap.add_argument("--window", type=int, default=3)
    ap.add_argument("--local", type=int, default=0)
    a = ap.parse_args()
    hp_over = {"dropout": a.dropout, "inner_dropout": a.inner_dropout}
    if not (a.init / "conv.json").is_file():
        hp_over.update(hidden=a.hidden, dilations=a.dilations, window=a.window, local=a.local)
    result = train(a.train, a.out, a.teacher, a.init, a.corpus, a.tokens, a.test, a.epochs, a.lr, hp_over,
                   a.seed, log=lambda m: print(m, flush=True), decay=a.decay)
    (a.out / "distil_history.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
