"""Train the dilated-CNN-CRF NER network with torch (CPU) and export it for NumPy inference.

    python -m derek.training.ner.conv TRAIN.iob OUT_DIR --init derek/ner/model \
        [--test TEST.iob] [--epochs 20] [--hidden 128] [--dilations 2,4] [--seed 0]

The same token vector as the BiLSTM-CRF (word vector, character CNN, shape and
capitalisation embeddings: derek/ner/neural.py's `WordEncoder`), then, instead of the
recurrent layer, a width-3 convolution over the token vectors and width-3 dilated
convolutions over the hidden layer with residual connections (Strubell et al., "Fast and
Accurate Entity Recognition with Iterated Dilated Convolutions", EMNLP 2017), a linear layer
to the tags and a CRF.  Every layer is one matrix product over all tokens of an article at
once — no step-by-step loop, which is what the BiLSTM costs at inference (derek/training/ner/conv_numpy.py).

Word vectors, characters and shapes start from a BiLSTM-CRF model directory (`--init`: its
neural.npz / neural.json / neural_words.txt / capstats.tsv), so both networks share the
vocabulary.  Fixed seeds and one thread give the same model on a rerun.
"""
from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

import numpy as np
import torch
from torch import nn

from derek.ner.features import load_clusters
from derek.ner.neural import WordEncoder
from derek.training.ner.data import read_iob
from derek.training.ner.neural import Model, fit, parse_with_hp

HP = {"char_dim": 24, "char_filters": 64, "shape_dim": 12, "cap_dim": 6, "hidden": 128,
      "dilations": "2,4", "window": 3, "local": 0, "dropout": 0.5, "inner_dropout": 0.2,
      "word_dropout": 0.05, "lr": 1e-3, "batch": 24, "epochs": 20, "clip": 5.0}


def shifted(x: torch.Tensor, d: int, radius: int = 1) -> torch.Tensor:
    """(b, t, c) -> (b, t, (2 radius + 1) c): each position's neighbours at -radius*d .. +radius*d
    (step d), itself in the middle, zeros past the ends."""
    p = nn.functional.pad(x, (0, 0, radius * d, radius * d))
    t = x.shape[1]
    return torch.cat([p[:, k * d:k * d + t] for k in range(2 * radius + 1)], dim=2)


class ConvModel(Model):
    def __init__(self, emb: np.ndarray, n_chars: int, n_shapes: int, n_tags: int, hp: dict):
        super().__init__(emb, n_chars, n_shapes, n_tags, hp)
        del self.lstm
        dim = emb.shape[1] + hp["char_filters"] + hp["shape_dim"] + hp["cap_dim"]
        h, local = hp["hidden"], hp.get("local", 0)
        self.hidden, self.radius = h, hp.get("window", 3) // 2
        self.dilations = [int(d) for d in str(hp["dilations"]).split(",") if d]
        # over the token vectors of the window: `hidden` units feed the dilated layers,
        # `local` more go straight to the output (cheap at inference: cached per word type)
        self.conv0 = nn.Linear((2 * self.radius + 1) * dim, h + local)
        self.convs = nn.ModuleList(nn.Linear(3 * h, h) for _ in self.dilations)
        self.inner = nn.Dropout(hp["inner_dropout"])
        self.out = nn.Linear(h + local, n_tags)

    def emissions(self, batch: dict) -> torch.Tensor:
        b, t = batch["words"].shape
        mask = batch["mask"][:, :, None]
        chars = self.char_vectors(batch["chars"], batch["cmask"]).view(b, t, -1)
        x = torch.cat([self.word_emb(batch["words"]), chars, self.shape_emb(batch["shapes"]),
                       self.cap_emb(batch["caps"])], dim=2)
        x = self.drop(x) * mask  # past a sentence's end every layer sees zeros, as in NumPy
        h0 = torch.relu(self.conv0(shifted(x, 1, self.radius))) * mask
        h, local = h0[..., :self.hidden], h0[..., self.hidden:]
        for d, conv in zip(self.dilations, self.convs):
            h = h + torch.relu(conv(shifted(self.inner(h), d))) * mask
        return self.out(self.drop(torch.cat([h, local], dim=2)))


def export(model: ConvModel, out: Path, words, chars, shapes, tags, hp: dict, name: str = "conv") -> None:
    sd = {k: v.detach().numpy() for k, v in model.state_dict().items()}
    weights = {
        "word_emb": sd["word_emb.weight"].astype(np.float16),
        "char_emb": sd["char_emb.weight"], "char_conv": sd["char_conv.weight"].T.copy(),
        "char_conv_b": sd["char_conv.bias"], "shape_emb": sd["shape_emb.weight"], "cap_emb": sd["cap_emb.weight"],
        "conv0_w": sd["conv0.weight"].T.copy(), "conv0_b": sd["conv0.bias"],
        "dilations": np.array(model.dilations, dtype=np.int64),
        "out_w": sd["out.weight"].T.copy(), "out_b": sd["out.bias"],
        "crf_trans": sd["trans"], "crf_start": sd["start"], "crf_end": sd["end"],
    }
    for k in range(len(model.dilations)):
        weights[f"conv{k + 1}_w"] = sd[f"convs.{k}.weight"].T.copy()
        weights[f"conv{k + 1}_b"] = sd[f"convs.{k}.bias"]
    out.mkdir(parents=True, exist_ok=True)
    np.savez(out / f"{name}.npz", **weights)
    (out / f"{name}_words.txt").write_text("\n".join(words), encoding="utf-8")
    (out / f"{name}.json").write_text(json.dumps({"tags": tags, "chars": chars, "shapes": shapes, "hp": hp,
                                                 "kind": "conv"}, ensure_ascii=False, indent=0) + "\n",
                                     encoding="utf-8")


def train(train_file: Path, out: Path, init: Path, test_file: Path | None, hp: dict, seed: int = 0,
          log=print, name: str = "conv") -> dict:
    random.seed(seed), np.random.seed(seed), torch.manual_seed(seed)
    torch.set_num_threads(hp.get("threads", 1))
    torch.set_flush_denormal(True)
    rng = random.Random(seed)
    meta = json.loads((init / "neural.json").read_text(encoding="utf-8"))
    words = (init / "neural_words.txt").read_text(encoding="utf-8").split("\n")
    chars, shapes, tags = meta["chars"], meta["shapes"], meta["tags"]
    with np.load(init / "neural.npz") as z:
        emb = z["word_emb"].astype(np.float32)
    cap = load_clusters((init / "capstats.tsv").read_text(encoding="utf-8").splitlines())
    enc = WordEncoder(words, chars, shapes, cap)
    tag_id = {t: i for i, t in enumerate(tags)}
    model = ConvModel(emb, len(chars) + 2, len(shapes) + 2, len(tags), hp)
    encode = lambda data: [([enc.encode(w) for w in ws], [tag_id.get(t, 0) for t in tg]) for ws, tg in data]  # noqa: E731
    tr = encode(read_iob(train_file))
    te = encode(read_iob(test_file)) if test_file else None
    save = lambda: export(model, out, words, chars, shapes, tags, hp, name)  # noqa: E731
    return {"history": fit(model, tr, te, tags, hp, rng, log, save, eval_every=2)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("train", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--init", type=Path, required=True, help="a BiLSTM-CRF model directory (vocabulary, vectors)")
    ap.add_argument("--test", type=Path)
    a, hp = parse_with_hp(ap, HP)
    result = train(a.train, a.out, a.init, a.test, hp, a.seed, log=lambda m: print(m, flush=True))
    (a.out / "conv_history.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
