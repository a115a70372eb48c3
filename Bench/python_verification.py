"""The seed doc's verification, without torch: the Python anchor for `omp-matrix bench`.

One process does the same work as the probe `load a; init a; train a` plus a flat
inner-product index: a 768x768 linear layer (with bias) trained for 5 steps with Adam
at batch 8 on a regression target, in numpy; then faiss.IndexFlatIP(768) with 100
vectors added. The timing that matters is the whole process, start to exit (imports
included), because that is what the probe's wall time measures too.
"""

import sys

import numpy as np
import faiss

DIM, BATCH, STEPS, VECTORS = 768, 8, 5, 100
LR, BETA1, BETA2, EPS = 0.0005, 0.9, 0.999, 1e-8


def train():
    rng = np.random.default_rng(0x5EED)
    x = rng.uniform(-1, 1, (BATCH, DIM)).astype(np.float32)
    w_true = (rng.uniform(-1, 1, (DIM, DIM)) * 0.05).astype(np.float32)
    b_true = (rng.uniform(-1, 1, DIM) * 0.5).astype(np.float32)
    target = x @ w_true.T + b_true

    w = np.zeros((DIM, DIM), np.float32)
    b = np.zeros(DIM, np.float32)
    m_w, v_w = np.zeros_like(w), np.zeros_like(w)
    m_b, v_b = np.zeros_like(b), np.zeros_like(b)
    losses = []
    for step in range(1, STEPS + 1):
        y = x @ w.T + b
        err = y - target
        loss = float(np.mean(err * err))
        losses.append(loss)
        print(f"Step {step}/{STEPS}: loss={loss:.4f}")
        d_y = (2.0 / err.size) * err
        g_w = d_y.T @ x
        g_b = d_y.sum(axis=0)
        for p, g, m, v in ((w, g_w, m_w, v_w), (b, g_b, m_b, v_b)):
            m *= BETA1
            m += (1 - BETA1) * g
            v *= BETA2
            v += (1 - BETA2) * g * g
            m_hat = m / (1 - BETA1 ** step)
            v_hat = v / (1 - BETA2 ** step)
            p -= LR * m_hat / (np.sqrt(v_hat) + EPS)
    return losses


def index():
    rng = np.random.default_rng(0x1F3)
    vecs = rng.standard_normal((VECTORS, DIM)).astype(np.float32)
    idx = faiss.IndexFlatIP(DIM)
    idx.add(vecs)
    return idx.ntotal


def main():
    losses = train()
    if not all(np.isfinite(losses)) or not losses[-1] < losses[0]:
        print(f"training did not reduce the loss: {losses}", file=sys.stderr)
        return 1
    n = index()
    if n != VECTORS:
        print(f"index holds {n} vectors, expected {VECTORS}", file=sys.stderr)
        return 1
    print(f"ok: loss {losses[0]:.4f} -> {losses[-1]:.4f}; index ntotal={n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
