"""Train the ensemble's two experts jointly: one CRF over BiLSTM emissions + sparse CRF features.

The shipped engine (derek/ner/ensemble.py) decodes a * neural + (1 - a) * crf, where the two
experts were trained apart.  Here the same sum is the emission and transition score of ONE
CRF, trained end to end:

    emission(token) = a * out(BiLSTM(token))  +  (1 - a) * sum of W[f] for the token's CRF features f
    transition      = a * T_net + (1 - a) * T_crf,   start/end = a * net's start/end

W is a torch EmbeddingBag(mode="sum") over exactly the attributes of a crf_weights.npz (the
L1-selected set) and the features `FeatureExtractor.sentence` gives each token.  Parametrised
this way the result exports to the existing files unchanged — W and T_crf to crf_weights.npz,
the network to neural.npz, the same neural_weight — so EnsembleNer computes the joint model's
potentials with no new inference code and at the same speed.

    python -m derek.training.ner.joint TRAIN.iob OUT_DIR --init derek/ner/model \
        [--test TEST.iob] [--epochs 3] [--lr 2e-4] [--scratch] [--seed 0]

--init: the ensemble directory whose words/features/weights are used; without --scratch both
experts start from its weights (epoch 0 reproduces it), with --scratch the network starts
fresh (seeded) and the sparse layer from the directory's CRF weights.
"""
from __future__ import annotations

import json
import random
import shutil
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import torch
from torch import nn

from derek.ner.neural import viterbi_batch
from derek.ner.tagger import NerTagger
from derek.training.ner.conv import ConvModel
from derek.training.ner.conv import export as export_conv
from derek.training.ner.data import read_iob, train_parser
from derek.training.ner.metrics import score
from derek.training.ner.neural import HP, Model, export, make_batches, tensorize

# the files of an ensemble directory the joint training does not change
_KEPT = ("capstats.tsv", "clusters.tsv", "names.tsv")


class JointModel(nn.Module):
    def __init__(self, net: Model, n_attrs: int, n_tags: int, neural_weight: float):
        super().__init__()
        self.net = net
        self.sparse = nn.EmbeddingBag(n_attrs, n_tags, mode="sum")
        nn.init.zeros_(self.sparse.weight)
        self.crf_trans = nn.Parameter(torch.zeros(n_tags, n_tags))
        self.a = neural_weight

    def emissions(self, batch: dict) -> torch.Tensor:
        em = self.net.emissions(batch)
        sp = self.sparse(batch["feat_ids"], batch["feat_offsets"]).view(em.shape)
        return self.a * em + (1 - self.a) * sp

    def potentials(self):
        """(trans, start, end) as the ensemble mixes them."""
        a, net = self.a, self.net
        return a * net.trans + (1 - a) * self.crf_trans, a * net.start, a * net.end

    def nll(self, em, tags, mask) -> torch.Tensor:
        trans, start, end = self.potentials()
        # Model.nll reads only .trans/.start/.end from its first argument: the mixed ones here
        return Model.nll(SimpleNamespace(trans=trans, start=start, end=end), em, tags, mask)


def net_hp(init_dir: Path) -> dict:
    """The hyperparameters the init directory's (first) network was trained with."""
    nets = json.loads((Path(init_dir) / "config.json").read_text(encoding="utf-8")).get("nets") or [{}]
    return {**HP, **{k: v for k, v in nets[0].items() if k in HP}, "threads": 1}


def load_net(model_dir: Path, name: str, hp: dict) -> tuple[Model, dict]:
    """A torch Model holding an exported network's weights (the inverse of `export`)."""
    d = Path(model_dir)
    meta = json.loads((d / f"{name}.json").read_text(encoding="utf-8"))
    with np.load(d / f"{name}.npz") as z:
        w = {k: torch.tensor(z[k].astype(np.float32)) for k in z.files}
    model = Model(w["word_emb"].numpy(), len(meta["chars"]) + 2, len(meta["shapes"]) + 2, len(meta["tags"]), hp)
    g4 = w["lstm_wih"].shape[1] // 2
    sd = {
        "word_emb.weight": w["word_emb"], "char_emb.weight": w["char_emb"], "char_conv.weight": w["char_conv"].T,
        "char_conv.bias": w["char_conv_b"], "shape_emb.weight": w["shape_emb"], "cap_emb.weight": w["cap_emb"],
        "lstm.weight_ih_l0": w["lstm_wih"][:, :g4].T, "lstm.weight_ih_l0_reverse": w["lstm_wih"][:, g4:].T,
        "lstm.weight_hh_l0": w["lstm_whh"][0].T, "lstm.weight_hh_l0_reverse": w["lstm_whh"][1].T,
        # the export stores bias_ih + bias_hh: all of it goes to bias_ih
        "lstm.bias_ih_l0": w["lstm_b"][:g4], "lstm.bias_hh_l0": torch.zeros(g4),
        "lstm.bias_ih_l0_reverse": w["lstm_b"][g4:], "lstm.bias_hh_l0_reverse": torch.zeros(g4),
        "out.weight": w["out_w"].T, "out.bias": w["out_b"],
        "trans": w["crf_trans"], "start": w["crf_start"], "end": w["crf_end"],
    }
    model.load_state_dict({k: v.contiguous() for k, v in sd.items()})
    return model, meta


class Encoder:
    """words -> (network token encodings, CRF feature ids per token), with the init
    directory's word tables and feature extractor (the attributes of its crf_weights.npz)."""

    def __init__(self, tagger: NerTagger):
        eng = tagger.engine
        self.tags = eng.neural.tags
        self.tag_id = {t: i for i, t in enumerate(self.tags)}
        self.enc = eng.neural.enc
        self.crf = eng.crf  # CrfScorer: weights and transitions already in the network's tag order
        self.fx, self.index = self.crf.fx, self.crf.index

    def encode(self, data):
        out = []
        for words, tg in data:
            feats = [[self.index[f] for f in fs if f in self.index] for fs in self.fx.sentence(words)]
            out.append(([self.enc.encode(w) for w in words], [self.tag_id.get(t, 0) for t in tg], feats))
        return out


def make_batch(items, word_dropout: float = 0.0, rng: random.Random | None = None) -> dict:
    batch = tensorize([(toks, tg) for toks, tg, _ in items], word_dropout, rng)
    t = batch["words"].shape[1]
    ids, offsets = [], []
    for _, _, feats in items:  # one bag per (sentence, position), padding positions empty
        for j in range(t):
            offsets.append(len(ids))
            if j < len(feats):
                ids.extend(feats[j])
    batch["feat_ids"] = torch.tensor(ids, dtype=torch.long)
    batch["feat_offsets"] = torch.tensor(offsets, dtype=torch.long)
    return batch


def predict(model: JointModel | Model, encoded, batch_size: int = 64, make=None) -> list[list[int]]:
    """Best tag ids per sentence: torch emissions, the NumPy Viterbi of inference; the
    mixture's potentials for a JointModel, a network's own CRF for a network alone.
    `make`: the batch builder (default `make_batch`; lm_ner adds the LM states)."""
    model.eval()
    order = sorted(range(len(encoded)), key=lambda i: -len(encoded[i][0]))
    out: list[list[int]] = [[] for _ in encoded]
    make = make or make_batch
    with torch.no_grad():
        own = (model.trans, model.start, model.end) if isinstance(model, Model) else model.potentials()
        trans, start, end = (x.detach().numpy() for x in own)
        for a in range(0, len(order), batch_size):
            ids = order[a:a + batch_size]
            items = [encoded[i] for i in ids]
            em = model.emissions(make(items)).numpy()
            for i, path in zip(ids, viterbi_batch(em, [len(x[0]) for x in items], trans, start, end)):
                out[i] = path
    model.train()
    return out


def evaluate(model: JointModel, encoded, tags: list[str]) -> float:
    pred = predict(model, encoded)
    return score([[tags[k] for k in tg] for _, tg, _ in encoded],
                 [[tags[k] for k in p] for p in pred])["micro"]["f1"]


def build(init_dir: Path, scratch: bool, hp: dict, seed: int, vectors: Path | None = None,
          sparse_init: str = "crf") -> tuple[JointModel, Encoder, dict]:
    tagger = NerTagger.load(init_dir)
    enc = Encoder(tagger)
    meta = dict(tagger.meta)
    meta.pop("dev", None)  # the init model's score, not this one's
    nets = meta.get("neural_models", ["neural"])
    if nets not in (["neural"], ["conv"]):
        raise ValueError("joint training handles an ensemble of the CRF and one network, 'neural' or 'conv'")
    a = float(meta["neural_weight"])
    if nets == ["conv"]:  # a distilled dilated CNN (derek/training/ner/distil.py)
        if scratch:
            raise ValueError("--scratch re-initialises a BiLSTM-CRF; a conv network starts from its directory")
        from derek.training.ner.distil import load_student

        net, _ = load_student(init_dir, {k: hp[k] for k in ("dropout", "word_dropout") if k in hp})
    else:
        net, _ = load_net(init_dir, "neural", hp)
    torch.manual_seed(seed)
    if scratch:
        # the network as derek/training/ner/neural.py starts it: the same seeded draws, word
        # vectors from the PPMI-SVD rows (`vectors`, rows in clusters.tsv order = the first words)
        if vectors is None:
            raise ValueError("--scratch needs the word vectors (clusters.tsv.emb.npy)")
        vecs = np.load(vectors)
        n_words = net.word_emb.num_embeddings
        emb = np.random.default_rng(seed).normal(0, 0.1, (n_words, vecs.shape[1])).astype(np.float32)
        emb[2:2 + len(vecs)] = vecs * np.sqrt(vecs.shape[1]) * 0.1
        emb[0] = 0.0
        torch.manual_seed(seed)
        net = Model(emb, net.char_emb.num_embeddings, net.shape_emb.num_embeddings, len(enc.tags), hp)
    model = JointModel(net, len(enc.index), len(enc.tags), a)
    if sparse_init == "crf":
        with torch.no_grad():
            model.sparse.weight.copy_(torch.tensor(enc.crf.w))
            model.crf_trans.copy_(torch.tensor(np.maximum(enc.crf.trans, -1e4)))
    return model, enc, meta


def export_joint(model: JointModel, enc: Encoder, init_dir: Path, out: Path, meta: dict, hp: dict) -> None:
    """An ensemble directory EnsembleNer loads unchanged: the network as neural.npz, the
    sparse layer and T_crf as crf_weights.npz (columns in the network's tag order), the
    init directory's word maps and config.json (same features, same neural_weight)."""
    # crf_weights.npz uncompressed: the joint weights are dense (4.6 MB), and load time counts
    out.mkdir(parents=True, exist_ok=True)
    init_dir, out = Path(init_dir), Path(out)
    name = "conv" if isinstance(model.net, ConvModel) else "neural"
    nj = json.loads((init_dir / f"{name}.json").read_text(encoding="utf-8"))
    words = (init_dir / f"{name}_words.txt").read_text(encoding="utf-8").split("\n")
    if name == "conv":
        export_conv(model.net, out, words, nj["chars"], nj["shapes"], enc.tags, nj["hp"])
    else:
        export(model.net, out, words, nj["chars"], nj["shapes"], enc.tags, hp)
    attrs = sorted(enc.index, key=enc.index.get)
    np.savez(out / "crf_weights.npz", attrs=np.array("\n".join(attrs)), labels=np.array("\n".join(enc.tags)),
             weights=model.sparse.weight.detach().numpy().astype(np.float32),
             transitions=model.crf_trans.detach().numpy().astype(np.float32))
    for f in _KEPT:
        if (init_dir / f).is_file() and (init_dir / f).resolve() != (out / f).resolve():
            shutil.copyfile(init_dir / f, out / f)
    (out / "config.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def train(train_file: Path, out: Path, init_dir: Path, test_file: Path | None, hp: dict, epochs: int,
          lr: float, scratch: bool = False, seed: int = 0, log=print, vectors: Path | None = None,
          sparse_init: str = "crf", l2: float = 0.0, export_every: int = 1) -> dict:
    """`l2`: crfsuite's c2 on the sparse weights (penalty c2 * |W|^2 on the summed loss);
    the model is exported to out/epochN every `export_every` epochs and after the last
    (export_every 0: the last epoch only, into `out` itself)."""
    random.seed(seed), np.random.seed(seed), torch.manual_seed(seed)
    torch.set_num_threads(hp.get("threads", 1))
    torch.set_flush_denormal(True)
    rng = random.Random(seed)
    model, enc, meta = build(init_dir, scratch, hp, seed, vectors, sparse_init)
    tr = enc.encode(read_iob(train_file))
    te = enc.encode(read_iob(test_file)) if test_file else None
    history = []
    if te and not scratch and sparse_init == "crf":
        f1 = evaluate(model, te, enc.tags)
        history.append({"epoch": 0, "loss": None, "test_f1": round(f1, 4)})
        log(f"epoch 0 (init) test micro-F1 {f1:.4f}")
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda ep: 1.0 / (1.0 + 0.05 * ep))
    t_all = time.time()
    for epoch in range(epochs):
        t0, total = time.time(), 0.0
        for batch_ids in make_batches(tr, hp["batch"], rng):
            batch = make_batch([tr[i] for i in batch_ids], hp["word_dropout"], rng)
            loss = model.nll(model.emissions(batch), batch["tags"], batch["mask"])
            opt.zero_grad()
            obj = loss / len(batch_ids)
            if l2:
                obj = obj + l2 * model.sparse.weight.pow(2).sum() / len(tr)
            obj.backward()
            nn.utils.clip_grad_norm_(model.parameters(), hp["clip"])
            opt.step()
            total += loss.item()
        sched.step()
        f1 = evaluate(model, te, enc.tags) if te else None
        history.append({"epoch": epoch + 1, "loss": round(total, 1), "test_f1": f1 and round(f1, 4)})
        log(f"epoch {epoch + 1} loss {total:.0f} {time.time() - t0:.0f}s" + (f" test micro-F1 {f1:.4f}" if f1 else ""))
        if (not export_every or (epoch + 1) % export_every) and epoch + 1 != epochs:
            continue
        meta_ep = {**meta, "joint": {"init": Path(init_dir).name, "scratch": scratch, "sparse_init": sparse_init,
                                     "l2": l2, "lr": lr, "epoch": epoch + 1, "seed": seed,
                                     "train_file": Path(train_file).name,
                                     "train_seconds": round(time.time() - t_all, 1), "history": history}}
        export_joint(model, enc, init_dir, Path(out) / f"epoch{epoch + 1}" if export_every else Path(out), meta_ep, hp)
    return {"history": history}


def fine_tune_dir(train_file: Path, out: Path, init_dir: Path, dev_file: Path | None, epochs: int = 3,
                  lr: float = 2e-4, seed: int = 0, log=print) -> dict:
    """`derek train ner --fine-tune DIR`: a complete ensemble directory (only the last epoch),
    its config.json scored on `dev_file` by the inference code."""
    from derek.training.ner.export import write_config

    train(train_file, out, init_dir, None, net_hp(init_dir), epochs, lr, seed=seed, log=log, export_every=0)
    meta = json.loads((Path(out) / "config.json").read_text(encoding="utf-8"))
    return write_config(Path(out), meta, dev_file, log)


def main() -> None:
    ap = train_parser(__doc__)
    ap.add_argument("--init", type=Path, required=True)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--lr", type=float, default=2e-4)
    ap.add_argument("--scratch", action="store_true")
    ap.add_argument("--vectors", type=Path, help="word vectors for --scratch (clusters.tsv.emb.npy)")
    ap.add_argument("--sparse-init", choices=("crf", "zero"), default="crf")
    ap.add_argument("--l2", type=float, default=0.0)
    ap.add_argument("--export-every", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--log", type=Path)
    a = ap.parse_args()
    hp = net_hp(a.init)

    def log(msg: str) -> None:
        print(msg, flush=True)
        if a.log:
            with open(a.log, "a", encoding="utf-8") as fh:
                fh.write(msg + "\n")

    result = train(a.train, a.out, a.init, a.test, hp, a.epochs, a.lr, a.scratch, a.seed, log, a.vectors,
                   a.sparse_init, a.l2, a.export_every)
    (a.out / "joint_history.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
