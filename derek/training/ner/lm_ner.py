"""Fine-tune the shipped ensemble with frozen language-model states as extra network input (TagLM).

derek/training/ner/lm.py trains a forward and a backward LSTM LM on the unlabeled corpus; here
their hidden states (fwd ⊕ bwd per token, computed once: the LMs are frozen) join the NER
network, warm-started from the shipped ensemble and fine-tuned jointly with the CRF part as
derek/training/ner/joint.py does.  Two ways in, each zero-initialised so that epoch 0 is the
shipped model exactly:

  - "input": the NER BiLSTM's input grows by the LM states (new weight_ih columns = 0);
  - "output": a linear layer from the LM states adds to the network's emissions.

The network's word vectors stay frozen: they are also the LMs' input, and at inference one
table serves both (the LMs' input projection is then cached per word type).

    python -m derek.training.ner.lm_ner TRAIN.iob OUT_DIR --init derek/ner/model --lm LM.pt \
        --test TEST.iob [--mode input|output] [--epochs 4] [--lr 2e-4] [--seed 0] [--lm-scale S]
        [--objective joint|net] [--scratch] [--freeze-crf] [--init-state RUN/epochN.pt] [--neural-weight A]

Measured on KazNERD (docs/models.md, "Language-model states"): no variant beats the shipped
ensemble, so no LM ships; the code stays for a better LM.
"""
from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

from derek.training.ner import joint
from derek.training.ner.data import read_iob
from derek.training.ner.lm import BiLM, load as load_lm
from derek.training.ner.metrics import score
from derek.training.ner.neural import Model, make_batches


class LMNet(Model):
    """The shipped network with LM states added (see the module doc); built by `extend`."""

    def emissions(self, batch: dict) -> torch.Tensor:
        b, t = batch["words"].shape
        chars = self.char_vectors(batch["chars"], batch["cmask"]).view(b, t, -1)
        parts = [self.word_emb(batch["words"]), chars, self.shape_emb(batch["shapes"]), self.cap_emb(batch["caps"])]
        lm = batch["lm"]
        if self.lm_mode == "input":
            parts.append(lm * self.lm_scale)
        x = torch.cat(parts, dim=2)
        packed = nn.utils.rnn.pack_padded_sequence(self.drop(x), batch["lens"], batch_first=True,
                                                   enforce_sorted=False)
        h, _ = self.lstm(packed)
        h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=t)
        em = self.out(self.drop(h))
        if self.lm_mode == "output":
            em = em + self.lm_out(self.drop(lm))
        return em


def extend(net: Model, lm_dim: int, mode: str, lm_scale: float = 1.0, zero: bool = True) -> LMNet:
    """`net` with the LM inputs added, zero-initialised (the same emissions as before), or
    with torch's default initialisation for the new weights when `zero` is false (a network
    trained from scratch)."""
    net.__class__ = LMNet
    net.lm_mode, net.lm_scale = mode, lm_scale
    net.word_emb.weight.requires_grad_(False)
    if mode == "input":
        old = net.lstm
        new = nn.LSTM(old.input_size + lm_dim, old.hidden_size, batch_first=True, bidirectional=True)
        with torch.no_grad():
            for name, p in new.named_parameters():
                q = getattr(old, name)
                if name.startswith("weight_ih"):
                    if zero:
                        p.zero_()
                    p[:, :old.input_size] = q
                else:
                    p.copy_(q)
        net.lstm = new
    else:
        net.lm_out = nn.Linear(lm_dim, net.out.out_features)
        if zero:
            nn.init.zeros_(net.lm_out.weight), nn.init.zeros_(net.lm_out.bias)
    return net


def fresh_network(net: Model, hp: dict, n_tags: int, seed: int) -> Model:
    """A network initialised as derek/training/ner/neural.py starts one (seeded), except
    the word vectors: the shipped ones, frozen, because the LMs read the same table and at
    inference one table serves both."""
    torch.manual_seed(seed)
    return Model(net.word_emb.weight.detach().numpy().copy(), net.char_emb.num_embeddings,
                 net.shape_emb.num_embeddings, n_tags, hp)


def lm_states(lm: BiLM, encoded, batch: int = 128) -> list[torch.Tensor]:
    """Per sentence (n, 2H): the frozen LMs' forward ⊕ backward states, from the word ids
    (the network's ids: the LMs read the same word table)."""
    out: list[torch.Tensor] = [None] * len(encoded)
    order = sorted(range(len(encoded)), key=lambda i: len(encoded[i][0]))
    with torch.no_grad():
        for a in range(0, len(order), batch):
            ids = order[a:a + batch]
            lens = torch.tensor([len(encoded[i][0]) for i in ids])
            words = torch.zeros(len(ids), int(lens.max()), dtype=torch.long)
            for r, i in enumerate(ids):
                words[r, :lens[r]] = torch.tensor([tok[0] for tok in encoded[i][0]])
            hf, hb = lm.states(words, lens)
            h = torch.cat([hf, hb], dim=2)
            for r, i in enumerate(ids):
                out[i] = h[r, :lens[r]].clone()
    return out


def export(model: joint.JointModel, lm: BiLM, enc: joint.Encoder, init_dir: Path, out: Path, meta: dict,
           hp: dict) -> None:
    """An ensemble directory that derek/ner/neural.py runs with the LM: joint.export_joint's
    files, and in neural.npz the LMs' input/recurrent weights (`lm_wih`, `lm_b`, `lm_whh`, the
    layout of the network's own LSTM) and the LM-to-network weights (`lstm_wih_lm`, the LSTM
    input columns of the LM states, or `lm_out_w`/`lm_out_b`, the emission layer)."""
    joint.export_joint(model, enc, init_dir, out, meta, hp)
    net = model.net
    with np.load(out / "neural.npz") as z:
        w = {k: z[k] for k in z.files}
    sd = {k: v.detach().numpy() for k, v in lm.state_dict().items()}
    w["lm_wih"] = np.concatenate([sd["fwd.weight_ih_l0"].T, sd["bwd.weight_ih_l0"].T], axis=1)
    w["lm_b"] = np.concatenate([sd["fwd.bias_ih_l0"] + sd["fwd.bias_hh_l0"], sd["bwd.bias_ih_l0"] + sd["bwd.bias_hh_l0"]])
    w["lm_whh"] = np.stack([sd["fwd.weight_hh_l0"].T, sd["bwd.weight_hh_l0"].T])
    if net.lm_mode == "input":
        n_in = w["lstm_wih"].shape[0] - w["lm_whh"].shape[1] * 2
        w["lstm_wih_lm"] = w["lstm_wih"][n_in:] * net.lm_scale
        w["lstm_wih"] = w["lstm_wih"][:n_in]
    else:
        w["lm_out_w"] = net.lm_out.weight.detach().numpy().T.copy()
        w["lm_out_b"] = net.lm_out.bias.detach().numpy()
    w = {k: (v if k == "word_emb" else v.astype(np.float32)) for k, v in w.items()}
    np.savez(out / "neural.npz", **w)


def make_batch(items, word_dropout: float = 0.0, rng: random.Random | None = None) -> dict:
    batch = joint.make_batch([it[:3] for it in items], word_dropout, rng)
    b, t = batch["words"].shape
    lm = torch.zeros(b, t, items[0][3].shape[1])
    for i, it in enumerate(items):
        lm[i, :len(it[3])] = it[3]
    batch["lm"] = lm
    return batch


def predict(model: joint.JointModel | Model, encoded, batch_size: int = 64) -> list[list[int]]:
    """Best tag ids: the ensemble's (a JointModel) or one network's alone (its own CRF)."""
    return joint.predict(model, encoded, batch_size, make=make_batch)


def evaluate(model, encoded, tags: list[str], halves: bool = True) -> dict:
    pred = predict(model, encoded)
    gold = [[tags[k] for k in it[1]] for it in encoded]
    pred = [[tags[k] for k in p] for p in pred]
    res = {"f1": round(score(gold, pred)["micro"]["f1"], 4)}
    if halves:
        h = len(gold) // 2
        res["halves"] = [round(score(gold[:h], pred[:h])["micro"]["f1"], 4),
                         round(score(gold[h:], pred[h:])["micro"]["f1"], 4)]
    return res


def train(train_file: Path, out: Path, init_dir: Path, lm_path: Path, test_file: Path, mode: str,
          epochs: int, lr: float, seed: int = 0, lm_scale: float = 1.0, freeze_crf: bool = False,
          objective: str = "joint", scratch: bool = False, init_state: Path | None = None,
          neural_weight: float | None = None, log=print) -> dict:
    """`lm_scale` multiplies the LM states where they enter (Adam's steps are the same size
    for every weight, so a larger scale makes the new, zero-initialised weights learn faster);
    `freeze_crf`: the feature CRF's weights stay as shipped, only the network learns.
    `objective` "joint" trains the mixture as one CRF (joint.py); "net" trains the network
    alone under its own CRF, as derek/training/ner/neural.py does, and mixes it with the
    init directory's feature CRF only at decoding: experts trained apart err differently,
    which is what the mixture lives on.  `scratch` (objective "net"): the network starts
    fresh (`fresh_network`) instead of from the init directory's.  `init_state`: start from
    an earlier run's epochN.pt (same LM, same mode) instead, e.g. to fine-tune jointly a
    network first trained alone; `neural_weight`: the mixture's network share (default: the
    init directory's), written to the exported config."""
    if scratch and objective != "net":
        raise ValueError("scratch training is for objective 'net' (a fresh network beside the shipped CRF)")
    random.seed(seed), np.random.seed(seed), torch.manual_seed(seed)
    torch.set_num_threads(1)
    torch.set_flush_denormal(True)
    rng = random.Random(seed)
    hp = joint.net_hp(init_dir)
    model, enc, meta = joint.build(init_dir, False, hp, seed)
    lm = load_lm(lm_path, init_dir)
    lm_dim = 2 * lm.fwd.hidden_size
    if scratch:
        model.net = fresh_network(model.net, hp, len(enc.tags), seed)
    extend(model.net, lm_dim, mode, lm_scale, zero=not scratch)
    if init_state is not None:
        model.load_state_dict(torch.load(init_state))
    if neural_weight is not None:
        model.a = neural_weight
        meta["neural_weight"] = neural_weight
    if freeze_crf or objective == "net":
        model.sparse.weight.requires_grad_(False)
        model.crf_trans.requires_grad_(False)
    t0 = time.time()
    tr = enc.encode(read_iob(train_file))
    te = enc.encode(read_iob(test_file))
    tr = [x + (h,) for x, h in zip(tr, lm_states(lm, tr))]
    te = [x + (h,) for x, h in zip(te, lm_states(lm, te))]
    log(f"encoded + LM states in {time.time() - t0:.0f}s")

    def scores() -> dict:
        ev = evaluate(model, te, enc.tags)
        if objective == "net":
            ev["net_alone"] = evaluate(model.net, te, enc.tags, halves=False)["f1"]
        return ev

    ev = scores()
    history = [{"epoch": 0, **ev}]
    log(f"epoch 0 (init) test {ev}")
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.Adam(params, lr=lr)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda ep: 1.0 / (1.0 + 0.05 * ep))
    for epoch in range(epochs):
        t1, total = time.time(), 0.0
        for batch_ids in make_batches(tr, hp["batch"], rng):
            batch = make_batch([tr[i] for i in batch_ids], hp["word_dropout"], rng)
            if objective == "net":
                loss = model.net.nll(model.net.emissions(batch), batch["tags"], batch["mask"])
            else:
                loss = model.nll(model.emissions(batch), batch["tags"], batch["mask"])
            opt.zero_grad()
            (loss / len(batch_ids)).backward()
            nn.utils.clip_grad_norm_(params, hp["clip"])
            opt.step()
            total += loss.item()
        sched.step()
        ev = scores()
        history.append({"epoch": epoch + 1, "loss": round(total, 1), "seconds": round(time.time() - t1), **ev})
        log(f"epoch {epoch + 1} loss {total:.0f} {time.time() - t1:.0f}s test {ev}")
        meta_ep = {**meta, "lm": {"mode": mode, "lm_scale": lm_scale, "lr": lr, "seed": seed, "epoch": epoch + 1,
                                  "freeze_crf": freeze_crf, "objective": objective, "scratch": scratch,
                                  "init_state": init_state and Path(init_state).name,
                                  "lm_hidden": lm.fwd.hidden_size, "history": history}}
        export(model, lm, enc, init_dir, Path(out) / f"epoch{epoch + 1}", meta_ep, hp)
        torch.save(model.state_dict(), Path(out) / f"epoch{epoch + 1}.pt")  # for averaging, tests
    result = {"mode": mode, "lr": lr, "seed": seed, "lm": str(lm_path), "lm_scale": lm_scale,
              "freeze_crf": freeze_crf, "objective": objective, "scratch": scratch, "history": history}
    (Path(out) / "history.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("train", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--init", type=Path, required=True)
    ap.add_argument("--lm", type=Path, required=True)
    ap.add_argument("--test", type=Path, required=True)
    ap.add_argument("--mode", choices=("input", "output"), default="input")
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--lr", type=float, default=2e-4)
    ap.add_argument("--lm-scale", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--freeze-crf", action="store_true")
    ap.add_argument("--objective", choices=("joint", "net"), default="joint")
    ap.add_argument("--scratch", action="store_true")
    ap.add_argument("--init-state", type=Path, help="an earlier run's epochN.pt to start from")
    ap.add_argument("--neural-weight", type=float, help="the network's share of the mixture")
    a = ap.parse_args()
    train(a.train, a.out, a.init, a.lm, a.test, a.mode, a.epochs, a.lr, a.seed, a.lm_scale, a.freeze_crf,
          a.objective, a.scratch, a.init_state, a.neural_weight, log=lambda m: print(m, flush=True))


if __name__ == "__main__":
    main()
