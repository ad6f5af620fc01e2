"""Train the BiLSTM-CRF NER model with torch (CPU) and export it for NumPy inference.

    python -m derek.training.ner.neural TRAIN.iob OUT_DIR --clusters clusters.tsv \
        [--test TEST.iob] [--epochs 30] [--seed 0]

The model is defined by derek/ner/neural.py (the NumPy forward pass); this module mirrors it
in torch, trains it, and writes neural.npz / neural.json / neural_words.txt into OUT_DIR.
Word embeddings start from the PPMI-SVD vectors the cluster step saves (clusters.tsv.emb.npy,
rows in clusters.tsv order).  Fixed seeds and one thread give the same model on a rerun.
Only this module imports torch; inference never does.
"""
from __future__ import annotations

import argparse
import json
import random
import time
from collections import Counter
from pathlib import Path

import numpy as np
import torch
from torch import nn

from derek.ner.features import load_clusters, shape
from derek.ner.neural import UNK, NeuralNer, WordEncoder, clip_word
from derek.training.ner.data import read_iob, train_parser
from derek.training.ner.export import write_config
from derek.training.ner.metrics import score

HP = {"char_dim": 24, "char_filters": 64, "shape_dim": 12, "cap_dim": 6, "hidden": 128,
      "dropout": 0.5, "word_dropout": 0.05, "lr": 2e-3, "batch": 24, "epochs": 24, "clip": 5.0}


class Model(nn.Module):
    def __init__(self, emb: np.ndarray, n_chars: int, n_shapes: int, n_tags: int, hp: dict):
        super().__init__()
        self.word_emb = nn.Embedding.from_pretrained(torch.tensor(emb), freeze=False, padding_idx=0)
        self.char_emb = nn.Embedding(n_chars, hp["char_dim"], padding_idx=0)
        self.char_conv = nn.Linear(3 * hp["char_dim"], hp["char_filters"])  # width-3 conv as in NumPy
        self.shape_emb = nn.Embedding(n_shapes, hp["shape_dim"], padding_idx=0)
        self.cap_emb = nn.Embedding(7, hp["cap_dim"], padding_idx=0)  # PAD, UNK, buckets 0..4
        dim = emb.shape[1] + hp["char_filters"] + hp["shape_dim"] + hp["cap_dim"]
        self.lstm = nn.LSTM(dim, hp["hidden"], batch_first=True, bidirectional=True)
        self.drop = nn.Dropout(hp["dropout"])
        self.out = nn.Linear(2 * hp["hidden"], n_tags)
        self.trans = nn.Parameter(torch.zeros(n_tags, n_tags))
        self.start = nn.Parameter(torch.zeros(n_tags))
        self.end = nn.Parameter(torch.zeros(n_tags))

    def char_vectors(self, chars: torch.Tensor, cmask: torch.Tensor) -> torch.Tensor:
        ce = self.char_emb(nn.functional.pad(chars, (1, 1)))  # (N, L+2, C)
        windows = torch.cat([ce[:, :-2], ce[:, 1:-1], ce[:, 2:]], dim=2)
        conv = torch.relu(self.char_conv(windows)).masked_fill(~cmask[:, :, None], -1e4)
        return conv.max(dim=1).values

    def emissions(self, batch: dict) -> torch.Tensor:
        b, t = batch["words"].shape
        chars = self.char_vectors(batch["chars"], batch["cmask"]).view(b, t, -1)
        x = torch.cat([self.word_emb(batch["words"]), chars, self.shape_emb(batch["shapes"]),
                       self.cap_emb(batch["caps"])], dim=2)
        packed = nn.utils.rnn.pack_padded_sequence(self.drop(x), batch["lens"], batch_first=True,
                                                   enforce_sorted=False)
        h, _ = self.lstm(packed)
        h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=t)
        return self.out(self.drop(h))

    def nll(self, em: torch.Tensor, tags: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """CRF negative log-likelihood, summed over the batch."""
        b, t, _ = em.shape
        idx = torch.arange(b)
        gold = self.start[tags[:, 0]] + em[idx, 0, tags[:, 0]]
        alpha = self.start[None] + em[:, 0]
        for i in range(1, t):
            m = mask[:, i]
            gold = gold + m * (self.trans[tags[:, i - 1], tags[:, i]] + em[idx, i, tags[:, i]])
            nxt = torch.logsumexp(alpha[:, :, None] + self.trans[None], dim=1) + em[:, i]
            alpha = torch.where(m[:, None].bool(), nxt, alpha)
        last = tags[idx, mask.sum(1).long() - 1]
        gold = gold + self.end[last]
        return (torch.logsumexp(alpha + self.end[None], dim=1) - gold).sum()


def build_vocab(train, cluster_words: list[str]) -> tuple[list[str], list[str], list[str]]:
    known = set(cluster_words)
    extra, chars, shapes = Counter(), Counter(), Counter()
    for words, _ in train:
        for w in words:
            low = w.lower()
            if low not in known:
                extra[low] += 1
            chars.update(clip_word(w))
            shapes[shape(w)] += 1
    for w in cluster_words:  # corpus words are lowercase; their capitals come from the training text
        chars.update(w)
    words = cluster_words + sorted(w for w in extra if w not in known)
    return (words, sorted(c for c, n in chars.items() if n >= 2),
            sorted(s for s, n in shapes.items() if n >= 2))


def make_batches(encoded, batch_size: int, rng: random.Random) -> list[list[int]]:
    order = sorted(range(len(encoded)), key=lambda i: (len(encoded[i][0]), rng.random()))
    batches = [order[a:a + batch_size] for a in range(0, len(order), batch_size)]
    rng.shuffle(batches)
    return batches


def tensorize(items, word_dropout: float = 0.0, rng: random.Random | None = None) -> dict:
    lens = [len(toks) for toks, _ in items]
    b, t = len(items), max(lens)
    longest = max(len(tok[1]) for toks, _ in items for tok in toks)
    words = torch.zeros(b, t, dtype=torch.long)
    shapes = torch.zeros(b, t, dtype=torch.long)
    caps = torch.zeros(b, t, dtype=torch.long)
    tags = torch.zeros(b, t, dtype=torch.long)
    chars = torch.zeros(b * t, longest, dtype=torch.long)
    cmask = torch.zeros(b * t, longest, dtype=torch.bool)
    cmask[:, 0] = True  # padding tokens: one (zero) position so max() is defined
    for i, (toks, tg) in enumerate(items):
        for j, (wid, cids, sid, cap) in enumerate(toks):
            if rng is not None and word_dropout and rng.random() < word_dropout:
                wid = UNK
            words[i, j], shapes[i, j], caps[i, j] = wid, sid, cap
            chars[i * t + j, :len(cids)] = torch.tensor(cids)
            cmask[i * t + j, :len(cids)] = True
        tags[i, :len(tg)] = torch.tensor(tg)
    mask = (torch.arange(t)[None] < torch.tensor(lens)[:, None]).float()
    return {"words": words, "shapes": shapes, "caps": caps, "chars": chars, "cmask": cmask,
            "tags": tags, "mask": mask, "lens": torch.tensor(lens)}


def export(model: Model, out: Path, words, chars, shapes, tags, hp: dict, name: str = "neural") -> None:
    sd = {k: v.detach().numpy() for k, v in model.state_dict().items()}
    weights = {
        "word_emb": sd["word_emb.weight"].astype(np.float16),
        "char_emb": sd["char_emb.weight"], "char_conv": sd["char_conv.weight"].T.copy(),
        "char_conv_b": sd["char_conv.bias"], "shape_emb": sd["shape_emb.weight"], "cap_emb": sd["cap_emb.weight"],
        "lstm_wih": np.concatenate([sd["lstm.weight_ih_l0"].T, sd["lstm.weight_ih_l0_reverse"].T], axis=1),
        "lstm_b": np.concatenate([sd["lstm.bias_ih_l0"] + sd["lstm.bias_hh_l0"],
                                  sd["lstm.bias_ih_l0_reverse"] + sd["lstm.bias_hh_l0_reverse"]]),
        "lstm_whh": np.stack([sd["lstm.weight_hh_l0"].T, sd["lstm.weight_hh_l0_reverse"].T]),
        "out_w": sd["out.weight"].T.copy(), "out_b": sd["out.bias"],
        "crf_trans": sd["trans"], "crf_start": sd["start"], "crf_end": sd["end"],
    }
    out.mkdir(parents=True, exist_ok=True)
    np.savez(out / f"{name}.npz", **weights)  # uncompressed: loads 8x faster (cold start), 8 % larger
    (out / f"{name}_words.txt").write_text("\n".join(words), encoding="utf-8")
    (out / f"{name}.json").write_text(json.dumps({"tags": tags, "chars": chars, "shapes": shapes, "hp": hp},
                                                ensure_ascii=False, indent=0) + "\n", encoding="utf-8")


def evaluate(model: Model, encoded, tags: list[str], batch_size: int = 64) -> float:
    """Quick micro-F1 with the torch model: its emissions, decoded by the NumPy Viterbi."""
    model.eval()
    tmp = NeuralNer.__new__(NeuralNer)
    tmp.w = {"crf_trans": model.trans.detach().numpy(), "crf_start": model.start.detach().numpy(),
             "crf_end": model.end.detach().numpy()}
    order = sorted(range(len(encoded)), key=lambda i: -len(encoded[i][0]))  # Viterbi wants longest first
    gold, pred = [], []
    with torch.no_grad():
        for a in range(0, len(order), batch_size):
            items = [encoded[i] for i in order[a:a + batch_size]]
            em = model.emissions(tensorize(items)).numpy()
            for (toks, tg), path in zip(items, NeuralNer.viterbi(tmp, em, [len(t) for t, _ in items])):
                pred.append([tags[i] for i in path])
                gold.append([tags[i] for i in tg])
    model.train()
    return score(gold, pred)["micro"]["f1"]


def train(train_file: Path, out: Path, clusters: Path, capstats: Path | None, test_file: Path | None,
          hp: dict, seed: int = 0, log=print, name: str = "neural") -> dict:
    random.seed(seed), np.random.seed(seed), torch.manual_seed(seed)
    torch.set_num_threads(hp.get("threads", 1))
    torch.set_flush_denormal(True)  # Adam's second moments of rare words decay into denormals: 4x slower
    rng = random.Random(seed)
    train_data = read_iob(train_file)
    cluster_words = [ln.split("\t", 1)[0] for ln in clusters.read_text(encoding="utf-8").splitlines()
                     if ln and not ln.startswith("#")]
    vecs = np.load(str(clusters) + ".emb.npy")
    words, chars, shapes = build_vocab(train_data, cluster_words)
    tags = sorted({t for _, tg in train_data for t in tg}, key=lambda t: (t != "O", t[2:], t[:1]))
    tag_id = {t: i for i, t in enumerate(tags)}
    cap = load_clusters(capstats.read_text(encoding="utf-8").splitlines()) if capstats else None
    enc = WordEncoder(words, chars, shapes, cap)
    emb = np.random.default_rng(seed).normal(0, 0.1, (len(words) + 2, vecs.shape[1])).astype(np.float32)
    emb[2:2 + len(vecs)] = vecs * np.sqrt(vecs.shape[1]) * 0.1  # unit rows -> the random rows' scale
    emb[0] = 0.0
    model = Model(emb, len(chars) + 2, len(shapes) + 2, len(tags), hp)
    encode = lambda data: [([enc.encode(w) for w in ws], [tag_id.get(t, 0) for t in tg]) for ws, tg in data]  # noqa: E731
    tr = encode(train_data)
    te = encode(read_iob(test_file)) if test_file else None
    save = lambda: export(model, out, words, chars, shapes, tags, hp, name)  # noqa: E731
    return {"history": fit(model, tr, te, tags, hp, rng, log, save, eval_every=3)}


def fit(model: nn.Module, tr, te, tags: list[str], hp: dict, rng: random.Random, log, save,
        eval_every: int) -> list[dict]:
    """The CRF training loop of a network on encoded sentences: Adam with 1/(1 + 0.05 epoch)
    decay, batches of similar lengths, word dropout, gradient clipping; test micro-F1 every
    `eval_every` epochs and after the last; `save()` after every epoch, so a killed run keeps a
    model.  Shared by the BiLSTM-CRF and the dilated CNN (derek/training/ner/conv.py)."""
    opt = torch.optim.Adam(model.parameters(), lr=hp["lr"])
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda ep: 1.0 / (1.0 + 0.05 * ep))
    history = []
    for epoch in range(hp["epochs"]):
        t0, total = time.time(), 0.0
        for batch_ids in make_batches(tr, hp["batch"], rng):
            batch = tensorize([tr[i] for i in batch_ids], hp["word_dropout"], rng)
            loss = model.nll(model.emissions(batch), batch["tags"], batch["mask"])
            opt.zero_grad()
            (loss / len(batch_ids)).backward()
            nn.utils.clip_grad_norm_(model.parameters(), hp["clip"])
            opt.step()
            total += loss.item()
        sched.step()
        last = epoch == hp["epochs"] - 1
        f1 = evaluate(model, te, tags) if te and (epoch % eval_every == eval_every - 1 or last) else None
        history.append({"epoch": epoch + 1, "loss": round(total, 1), "test_f1": f1 and round(f1, 4)})
        log(f"epoch {epoch + 1} loss {total:.0f} {time.time() - t0:.0f}s" + (f" test micro-F1 {f1:.4f}" if f1 else ""))
        save()
    return history


def train_model_dir(train_file: Path, out: Path, clusters: Path, capstats: Path, dev_file: Path | None,
                    hp: dict | None = None, seed: int = 0, log=print) -> dict:
    """A complete, loadable model directory (what derek/ner/model ships): the network, the
    capitalisation map it reads, names.tsv for the stage's rules, config.json (engine "neural")."""
    import shutil

    from derek.ner.tagger import load_stemmer
    from derek.training.ner.gazetteer import build as build_names

    hp = {**HP, **(hp or {})}
    t0 = time.time()
    result = train(train_file, out, clusters, capstats, None, hp, seed, log)
    if capstats.resolve() != (out / "capstats.tsv").resolve():
        shutil.copyfile(capstats, out / "capstats.tsv")
    build_names(train_file, out / "names.tsv", load_stemmer())
    n_tok = sum(len(w) for w, _ in read_iob(train_file))
    meta = {"engine": "neural", "hp": hp, "seed": seed, "train_file": Path(train_file).name,
            "train_tokens": n_tok, "train_seconds": round(time.time() - t0, 1), "history": result["history"]}
    return write_config(out, meta, dev_file, log)


def train_ensemble_dir(train_file: Path, out: Path, clusters: Path, capstats: Path, dev_file: Path | None,
                       crf_config, crf_params: dict, neural_weight: float, nets: list[dict] | None = None,
                       seed: int = 0, log=print) -> dict:
    """The shipped engine: the feature CRF (derek/training/ner/train.py) and one or more
    BiLSTM-CRFs (`nets`: a name and hyperparameters each), trained on the same file into one
    directory and mixed with `neural_weight` (derek/ner/ensemble.py)."""
    import shutil

    from derek.ner.tagger import load_stemmer
    from derek.training.ner.export import crf_to_ensemble_weights
    from derek.training.ner.gazetteer import build as build_names
    from derek.training.ner.train import train as train_crf

    nets = nets or [{"name": "neural"}]
    crf_meta = train_crf(train_file, out, crf_config, clusters_path=clusters, capstats_path=capstats,
                         params=crf_params, log=log)
    crf_to_ensemble_weights(out)
    histories, t0 = {}, time.time()
    for net in nets:
        hp = {**HP, **{k: v for k, v in net.items() if k != "name"}}
        histories[net["name"]] = train(train_file, out, clusters, capstats, None, hp, seed, log, net["name"])["history"]
    if capstats.resolve() != (out / "capstats.tsv").resolve():
        shutil.copyfile(capstats, out / "capstats.tsv")
    build_names(train_file, out / "names.tsv", load_stemmer())
    meta = {"engine": "ensemble", "neural_weight": neural_weight, "neural_models": [n["name"] for n in nets],
            "nets": nets, "seed": seed, "features": crf_meta["features"], "params": crf_meta["params"],
            "train_file": Path(train_file).name, "train_tokens": crf_meta["train_tokens"],
            "crf_train_seconds": crf_meta["train_seconds"], "neural_train_seconds": round(time.time() - t0, 1),
            "history": histories}
    return write_config(out, meta, dev_file, log)


def parse_with_hp(ap: argparse.ArgumentParser, defaults: dict) -> tuple[argparse.Namespace, dict]:
    """--seed, --threads and one option per hyperparameter (--char-dim …) added to `ap`;
    (the parsed arguments, the hyperparameters with the thread count)."""
    ap.add_argument("--seed", type=int, default=0)
    for k, v in defaults.items():
        ap.add_argument("--" + k.replace("_", "-"), type=type(v), default=v)
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    return a, {k: getattr(a, k) for k in defaults} | {"threads": a.threads}


def main() -> None:
    ap = train_parser(__doc__)
    ap.add_argument("--clusters", type=Path, required=True)
    ap.add_argument("--capstats", type=Path)
    a, hp = parse_with_hp(ap, HP)
    result = train(a.train, a.out, a.clusters, a.capstats, a.test, hp, a.seed)
    (a.out / "neural_history.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
