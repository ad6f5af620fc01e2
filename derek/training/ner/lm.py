"""Forward and backward LSTM language models on the unlabeled Kazakh corpus (TagLM / ELMo-lite).

The NER network sees one sentence of labelled text; the ~12M tokens of kk_corpus hold far more
about which words follow which.  Two word-level LSTMs read the corpus sentences, one left to
right and one right to left, and each learns to predict the neighbouring word's cluster
(c1024 of the shipped clusters.tsv: a cheap 1,026-way softmax instead of a 50k-word one; two
extra classes: a word without a cluster, and the sentence boundary).  Frozen, their hidden
states are a token's context as the corpus sees it, fed to the NER BiLSTM
(derek/training/ner/lm_ner.py).

Input = the shipped network's word vectors (neural.npz `word_emb`, frozen), looked up by
`WordEncoder.word_id` (lower-cased, digits as 0): the LM's input projection depends on the
word type only, so inference can cache it per type like the NER LSTM's.  Tokens are derek's
tokenizer and sentence splitter (what the ner stage tags), as derek/training/ner/silver.py
reads the corpus.

    python -m derek.training.ner.lm prepare OUT.npz CORPUS_DIR --model derek/ner/model [--tokens N]
    python -m derek.training.ner.lm train DATA.npz OUT.pt --model derek/ner/model [--minutes 40]

Corpus text never enters the repository: OUT.npz holds word and cluster ids, write it to /tmp.
"""
from __future__ import annotations

import argparse
import json
import math
import random
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

from derek.ner.features import load_clusters
from derek.ner.neural import WordEncoder

N_CLUSTERS = 1024
NO_CLUSTER, BOUNDARY = N_CLUSTERS, N_CLUSTERS + 1  # the two extra output classes
HP = {"hidden": 128, "dropout": 0.2, "lr": 2e-3, "batch": 64, "clip": 1.0, "min_len": 3, "max_len": 60}


def word_tables(model_dir: Path) -> tuple[WordEncoder, np.ndarray]:
    """The shipped network's word ids and vectors."""
    d = Path(model_dir)
    words = (d / "neural_words.txt").read_text(encoding="utf-8").split("\n")
    enc = WordEncoder(words, [], [], None)
    with np.load(d / "neural.npz") as z:
        emb = z["word_emb"].astype(np.float32)
    return enc, emb


def cluster_id(clusters: dict, word: str) -> int:
    c = clusters.get(word.lower())
    return int(c[2]) if c else NO_CLUSTER


def prepare(out: Path, corpus: Path, model_dir: Path, max_tokens: int, seed: int = 0, log=print) -> None:
    """Corpus files -> sentences of (word id, cluster id), shuffled (fixed seed), as flat arrays."""
    from derek.training.ner.silver import read_paragraphs, sentences_of

    enc, _ = word_tables(model_dir)
    clusters = load_clusters((Path(model_dir) / "clusters.tsv").read_text(encoding="utf-8").splitlines())
    files = sorted(Path(corpus).glob("*.txt.xz"))
    seen: set[int] = set()
    sents: list[tuple[list[int], list[int]]] = []
    n_tok, t0 = 0, time.time()
    for para in read_paragraphs(files):
        for words in sentences_of(para):
            if not HP["min_len"] <= len(words) <= HP["max_len"]:
                continue
            key = hash(tuple(words))
            if key in seen:  # duplicates (headings, boilerplate) teach nothing new
                continue
            seen.add(key)
            sents.append(([enc.word_id(w) for w in words], [cluster_id(clusters, w) for w in words]))
            n_tok += len(words)
    log(f"{len(sents)} sentences, {n_tok} tokens from {len(files)} files in {time.time() - t0:.0f}s")
    random.Random(seed).shuffle(sents)
    kept, total = [], 0
    for s in sents:
        if total >= max_tokens:
            break
        kept.append(s)
        total += len(s[0])
    lens = np.array([len(w) for w, _ in kept], dtype=np.int32)
    np.savez(out, lens=lens, words=np.array([i for w, _ in kept for i in w], dtype=np.int32),
             clusters=np.array([c for _, cs in kept for c in cs], dtype=np.int16))
    log(f"kept {len(kept)} sentences, {total} tokens -> {out}")


class BiLM(nn.Module):
    """Two independent one-layer LSTM LMs over frozen word vectors; `states` is what NER reads."""

    def __init__(self, emb: np.ndarray, hidden: int, dropout: float):
        super().__init__()
        self.emb = nn.Embedding.from_pretrained(torch.tensor(emb), freeze=True, padding_idx=0)
        self.fwd = nn.LSTM(emb.shape[1], hidden, batch_first=True)
        self.bwd = nn.LSTM(emb.shape[1], hidden, batch_first=True)
        self.drop = nn.Dropout(dropout)
        self.out_f = nn.Linear(hidden, N_CLUSTERS + 2)
        self.out_b = nn.Linear(hidden, N_CLUSTERS + 2)

    @staticmethod
    def _run(lstm: nn.LSTM, x: torch.Tensor, lens: torch.Tensor) -> torch.Tensor:
        packed = nn.utils.rnn.pack_padded_sequence(x, lens, batch_first=True, enforce_sorted=False)
        h, _ = lstm(packed)
        return nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=x.shape[1])[0]

    def states(self, words: torch.Tensor, lens: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(B, T, H) forward states (token t has read 0..t) and backward states (t..n-1)."""
        x = self.drop(self.emb(words))
        hf = self._run(self.fwd, x, lens)
        rev = reverse_padded(x, lens)
        hb = reverse_padded(self._run(self.bwd, rev, lens), lens)
        return hf, hb


def reverse_padded(x: torch.Tensor, lens: torch.Tensor) -> torch.Tensor:
    """Reverse each sequence's first len positions (padding stays where it is)."""
    t = x.shape[1]
    pos = torch.arange(t)[None, :]
    idx = torch.where(pos < lens[:, None], lens[:, None] - 1 - pos, pos)
    return x.gather(1, idx[:, :, None].expand(-1, -1, x.shape[2]))


def targets(clusters: torch.Tensor, lens: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Next-token classes for the forward LM, previous-token classes for the backward one;
    the sentence boundary past either end; -100 on padding."""
    b, t = clusters.shape
    pos = torch.arange(t)[None, :]
    valid = pos < lens[:, None]
    nxt = torch.full((b, t), BOUNDARY, dtype=torch.long)
    nxt[:, :-1] = clusters[:, 1:]
    nxt[pos == lens[:, None] - 1] = BOUNDARY
    prv = torch.full((b, t), BOUNDARY, dtype=torch.long)
    prv[:, 1:] = clusters[:, :-1]
    return nxt.masked_fill(~valid, -100), prv.masked_fill(~valid, -100)


def batches(lens: np.ndarray, batch: int, rng: random.Random) -> list[np.ndarray]:
    """Sentences of similar length together (little padding), the batches shuffled."""
    order = np.array(sorted(range(len(lens)), key=lambda i: (lens[i], rng.random())))
    out = [order[a:a + batch] for a in range(0, len(order), batch)]
    rng.shuffle(out)
    return out


def tensors(data: dict, starts: np.ndarray, ids: np.ndarray):
    lens = data["lens"][ids]
    t = int(lens.max())
    words = np.zeros((len(ids), t), dtype=np.int64)
    cl = np.zeros((len(ids), t), dtype=np.int64)
    for r, i in enumerate(ids):
        a, n = starts[i], data["lens"][i]
        words[r, :n] = data["words"][a:a + n]
        cl[r, :n] = data["clusters"][a:a + n]
    return torch.from_numpy(words), torch.from_numpy(cl), torch.from_numpy(lens.astype(np.int64))


def loss_of(model: BiLM, words, cl, lens) -> tuple[torch.Tensor, torch.Tensor, int, int, int]:
    hf, hb = model.states(words, lens)
    nxt, prv = targets(cl, lens)
    lf = model.out_f(model.drop(hf))
    lb = model.out_b(model.drop(hb))
    ce = nn.functional.cross_entropy
    loss_f = ce(lf.reshape(-1, lf.shape[-1]), nxt.reshape(-1), ignore_index=-100, reduction="sum")
    loss_b = ce(lb.reshape(-1, lb.shape[-1]), prv.reshape(-1), ignore_index=-100, reduction="sum")
    ok_f = int((lf.argmax(-1) == nxt).sum())
    ok_b = int((lb.argmax(-1) == prv).sum())
    return loss_f, loss_b, ok_f, ok_b, int(lens.sum())


def evaluate(model: BiLM, data: dict, starts: np.ndarray, ids: np.ndarray, batch: int = 256) -> dict:
    model.eval()
    tot = np.zeros(5)
    with torch.no_grad():
        for a in range(0, len(ids), batch):
            lf, lb, of, ob, n = loss_of(model, *tensors(data, starts, ids[a:a + batch]))
            tot += [lf.item(), lb.item(), of, ob, n]
    model.train()
    n = tot[4]
    return {"ppl_fwd": round(math.exp(tot[0] / n), 2), "ppl_bwd": round(math.exp(tot[1] / n), 2),
            "acc_fwd": round(tot[2] / n, 4), "acc_bwd": round(tot[3] / n, 4), "tokens": int(n)}


def train(data_file: Path, out: Path, model_dir: Path, hp: dict, minutes: float, seed: int = 0,
          heldout: int = 2000, log=print) -> dict:
    """Train until the time budget ends (whole batches); held-out = the first `heldout` sentences
    of the shuffled file.  Saves the torch state and a json of settings and scores."""
    random.seed(seed), np.random.seed(seed), torch.manual_seed(seed)
    torch.set_num_threads(hp.get("threads", 1))
    torch.set_flush_denormal(True)
    rng = random.Random(seed)
    with np.load(data_file) as z:
        data = {k: z[k] for k in z.files}
    starts = np.concatenate([[0], np.cumsum(data["lens"])[:-1]])
    n = len(data["lens"])
    dev_ids, train_ids = np.arange(heldout), np.arange(heldout, n)
    _, emb = word_tables(model_dir)
    model = BiLM(emb, hp["hidden"], hp["dropout"])
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.Adam(params, lr=hp["lr"])
    deadline = time.time() + 60 * minutes
    t0, seen, step, history, epoch = time.time(), 0, 0, [], 0
    done = False
    while not done:
        for ids in batches(data["lens"][train_ids], hp["batch"], rng):
            if time.time() > deadline:
                done = True
                break
            lf, lb, _, _, ntok = loss_of(model, *tensors(data, starts, train_ids[ids]))
            opt.zero_grad()
            ((lf + lb) / ntok).backward()
            nn.utils.clip_grad_norm_(params, hp["clip"])
            opt.step()
            seen += ntok
            step += 1
            if step % 500 == 0:
                ev = evaluate(model, data, starts, dev_ids)
                rate = seen / (time.time() - t0)
                history.append({"step": step, "tokens": seen, **ev})
                log(f"step {step} tokens {seen} ({rate:.0f}/s) {ev}")
        epoch += 1
    ev = evaluate(model, data, starts, dev_ids)
    meta = {"hp": hp, "seed": seed, "train_tokens_seen": seen, "epochs_started": epoch,
            "train_seconds": round(time.time() - t0, 1), "heldout": ev, "history": history}
    save(model, out, meta)
    log(f"done: {seen} tokens, held-out {ev}")
    return meta


def save(model: BiLM, out: Path, meta: dict) -> None:
    """OUT (torch state without the word vectors, which the model directory has) + OUT.json."""
    torch.save({k: v for k, v in model.state_dict().items() if k != "emb.weight"}, out)
    Path(str(out) + ".json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")


def load(path: Path, model_dir: Path) -> BiLM:
    """A trained BiLM (the frozen word vectors come from the model directory again)."""
    meta = json.loads(Path(str(path) + ".json").read_text(encoding="utf-8"))
    _, emb = word_tables(model_dir)
    model = BiLM(emb, meta["hp"]["hidden"], meta["hp"]["dropout"])
    model.load_state_dict(torch.load(path), strict=False)
    model.eval()
    return model


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("out", type=Path)
    p.add_argument("corpus", type=Path)
    p.add_argument("--model", type=Path, default=Path("derek/ner/model"))
    p.add_argument("--tokens", type=int, default=20_000_000)
    t = sub.add_parser("train")
    t.add_argument("data", type=Path)
    t.add_argument("out", type=Path)
    t.add_argument("--model", type=Path, default=Path("derek/ner/model"))
    t.add_argument("--minutes", type=float, default=40)
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--threads", type=int, default=1)
    for k, v in HP.items():
        t.add_argument("--" + k.replace("_", "-"), type=type(v), default=v)
    a = ap.parse_args()
    if a.cmd == "prepare":
        prepare(a.out, a.corpus, a.model, a.tokens)
    else:
        hp = {k: getattr(a, k) for k in HP} | {"threads": a.threads}
        train(a.data, a.out, a.model, hp, a.minutes, a.seed)


if __name__ == "__main__":
    main()
