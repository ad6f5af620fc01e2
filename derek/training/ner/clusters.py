"""Word clusters from unlabeled Kazakh text, for the NER features.

Brown clustering of 12M tokens is too slow in Python, so we do the cheap distributional
equivalent: a PPMI-weighted co-occurrence matrix (top-V lowercase words x top-C context
words, left and right contexts kept apart, window 2), an SVD to D dimensions, and k-means
at several granularities.  Only the resulting word -> cluster-id map is shipped.
Reproducible: fixed seeds, deterministic file order.
"""
from __future__ import annotations

import lzma
import re
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|\S", re.UNICODE)


def read_corpus(paths: list[Path]) -> list[list[str]]:
    lines = []
    for p in paths:
        opener = lzma.open if p.suffix == ".xz" else open
        with opener(p, "rt", encoding="utf-8") as fh:
            for line in fh:
                toks = _TOKEN.findall(line.lower())
                if toks:
                    lines.append(toks)
    return lines


def cooccurrence(lines, vocab: dict[str, int], n_targets: int, n_ctx: int, window: int = 2) -> np.ndarray:
    """Counts[target, side*n_ctx + context] with 1/distance weighting (float32, dense).

    Pairs are collected as flat indices and reduced with np.unique, so peak memory is the
    pair list plus one dense float32 matrix (n_targets x 2*n_ctx)."""
    ids = []
    for toks in lines:
        ids.extend(vocab.get(t, -1) for t in toks)
        ids.extend([-2] * window)  # sentence boundary padding
    arr = np.asarray(ids, dtype=np.int64)
    del ids
    counts = np.zeros(n_targets * 2 * n_ctx, dtype=np.float32)
    for d in range(1, window + 1):
        t, c = arr[d:], arr[:-d]  # c is d to the left of t
        for side, (tt, cc) in enumerate(((t, c), (c, t))):
            ok = (tt >= 0) & (tt < n_targets) & (cc >= 0) & (cc < n_ctx)
            idx, n = np.unique(tt[ok] * (2 * n_ctx) + side * n_ctx + cc[ok], return_counts=True)
            counts[idx] += n.astype(np.float32) / d
    return counts.reshape(n_targets, 2 * n_ctx)


def ppmi_svd(counts: np.ndarray, dim: int) -> np.ndarray:
    """PPMI (context smoothing 0.75) in place, then SVD through the small Gram matrix."""
    total = float(counts.sum(dtype=np.float64))
    row = counts.sum(1, dtype=np.float64)[:, None] + 1e-9
    col = counts.sum(0, dtype=np.float64)[None, :] ** 0.75
    col = col / col.sum() * total
    scale_row = (total / row).astype(np.float32)
    scale_col = (1.0 / (col + 1e-9)).astype(np.float32)
    m = counts
    m *= scale_row
    m *= scale_col
    np.maximum(m, 1.0, out=m)
    np.log(m, out=m)  # log(max(ratio,1)) == max(pmi, 0)
    gram = (m.T @ m).astype(np.float64)
    vals, vecs = np.linalg.eigh(gram)
    order = np.argsort(vals)[::-1][:dim]
    emb = m @ vecs[:, order].astype(np.float32)
    emb /= np.sqrt(np.maximum(vals[order], 1e-9)).astype(np.float32) ** 0.5  # weighting p=0.5
    emb /= np.linalg.norm(emb, axis=1, keepdims=True) + 1e-9
    return emb


def kmeans(x: np.ndarray, k: int, iters: int = 25, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centers = x[rng.choice(len(x), k, replace=False)].copy()
    sq = (x * x).sum(1)
    for _ in range(iters):
        labels = np.empty(len(x), dtype=np.int32)
        for a in range(0, len(x), 8192):  # chunked distances keep memory small
            b = a + 8192
            d = sq[a:b, None] - 2 * x[a:b] @ centers.T + (centers * centers).sum(1)[None]
            labels[a:b] = d.argmin(1)
        for j in range(k):
            members = x[labels == j]
            centers[j] = members.mean(0) if len(members) else x[rng.integers(len(x))]
    return labels


def build(paths: list[Path], out: Path, n_targets=50000, n_ctx=2000, dim=100, ks=(64, 256, 1024)) -> None:
    t0 = time.time()
    lines = read_corpus(paths)
    freq = Counter(t for toks in lines for t in toks)
    print(f"{sum(freq.values())} tokens, {len(freq)} types, {time.time()-t0:.0f}s", flush=True)
    words = [w for w, _ in freq.most_common(n_targets) if any(ch.isalpha() for ch in w)]
    vocab = {w: i for i, w in enumerate(words)}
    counts = cooccurrence(lines, vocab, len(words), n_ctx)
    del lines
    print(f"cooccurrence {counts.shape} {time.time()-t0:.0f}s", flush=True)
    emb = ppmi_svd(counts, dim)
    del counts
    print(f"svd {time.time()-t0:.0f}s", flush=True)
    cols = [kmeans(emb, k, seed=k) for k in ks]
    print(f"kmeans {time.time()-t0:.0f}s", flush=True)
    with open(out, "w", encoding="utf-8") as fh:
        fh.write("# word\t" + "\t".join(f"c{k}" for k in ks) + "\n")
        for i, w in enumerate(words):
            fh.write(w + "\t" + "\t".join(str(int(c[i])) for c in cols) + "\n")
    np.save(str(out) + ".emb.npy", emb)


if __name__ == "__main__":
    corpus_dir = Path(sys.argv[1])
    build(sorted(corpus_dir.glob("*.txt.xz")), Path(sys.argv[2]))
