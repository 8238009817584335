#!/usr/bin/env python3
"""Plain RGD on the spherical UFM in NumPy (float64), an independent implementation to compare
`gnc train --no-line-search --optimizer rgd` with.

    python3 bench/peers/ufm_rgd.py W0.npy H0.npy --tau 10 --lr 0.5 --steps 100 --per-class 1 --out DIR

Feature row r belongs to class r // per_class; the loss is the mean cross-entropy of tau H W^T;
both W and H step from the same point: X <- normalize(X - lr (G - diag(<G, X>) X)) row by row.
Writes DIR/W.npy and DIR/H.npy (float32) and prints the final loss.
"""
import argparse
import os

import numpy as np


def loss_and_gradients(w, h, labels, tau):
    z = tau * h @ w.T
    z -= z.max(axis=1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    n = h.shape[0]
    loss = -np.log(p[np.arange(n), labels]).mean()
    p[np.arange(n), labels] -= 1
    dz = p / n
    return loss, tau * dz.T @ h, tau * dz @ w


def rgd(x, g, lr):
    radial = np.sum(g * x, axis=1, keepdims=True)
    moved = x - lr * (g - radial * x)
    return moved / np.linalg.norm(moved, axis=1, keepdims=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("w0")
    parser.add_argument("h0")
    parser.add_argument("--tau", type=float, required=True)
    parser.add_argument("--lr", type=float, required=True)
    parser.add_argument("--steps", type=int, required=True)
    parser.add_argument("--per-class", type=int, default=1)
    parser.add_argument("--out", required=True)
    a = parser.parse_args()
    w = np.load(a.w0).astype(np.float64)
    h = np.load(a.h0).astype(np.float64)
    labels = np.arange(h.shape[0]) // a.per_class
    for _ in range(a.steps):
        _, gw, gh = loss_and_gradients(w, h, labels, a.tau)
        w, h = rgd(w, gw, a.lr), rgd(h, gh, a.lr)
    os.makedirs(a.out, exist_ok=True)
    np.save(os.path.join(a.out, "W.npy"), w.astype(np.float32))
    np.save(os.path.join(a.out, "H.npy"), h.astype(np.float32))
    print(loss_and_gradients(w, h, labels, a.tau)[0])


if __name__ == "__main__":
    main()
