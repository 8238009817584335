#!/usr/bin/python3
"""PyTorch peers of `gnc bench ce`: forward+backward of the softmax cross-entropy of
logits tau * H W^T on the CPU, timed like gnc (two warm-up steps, median of the rest).

  materialised  F.cross_entropy on the N x K logits (what a framework does by default)
  chunked       online logsumexp over class chunks; backward recomputes each chunk's logits

Prints one JSON object per variant. Run it with Debian's python3 (see bench/peers/README.md).
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn.functional as F


class ChunkedCrossEntropy(torch.autograd.Function):
    """Mean cross-entropy without the N x K logits: O(N chunk) memory."""

    @staticmethod
    def forward(ctx, h, w, y, tau, chunk):
        n, k = h.shape[0], w.shape[0]
        running_max = torch.full((n,), float("-inf"))
        running_sum = torch.zeros(n)
        for k0 in range(0, k, chunk):
            z = tau * (h @ w[k0:k0 + chunk].T)
            new_max = torch.maximum(running_max, z.max(dim=1).values)
            running_sum = running_sum * torch.exp(running_max - new_max) + torch.exp(z - new_max[:, None]).sum(dim=1)
            running_max = new_max
        lse = running_max + torch.log(running_sum)
        target = tau * (h * w[y]).sum(dim=1)
        ctx.save_for_backward(h, w, y, lse)
        ctx.tau, ctx.chunk = tau, chunk
        return (lse - target).mean()

    @staticmethod
    def backward(ctx, grad):
        h, w, y, lse = ctx.saved_tensors
        tau, chunk = ctx.tau, ctx.chunk
        n, k = h.shape[0], w.shape[0]
        dh = torch.zeros_like(h)
        dw = torch.empty_like(w)
        rows = torch.arange(n)
        for k0 in range(0, k, chunk):
            k1 = min(k, k0 + chunk)
            z = tau * (h @ w[k0:k1].T)
            p = torch.exp(z - lse[:, None])
            inside = (y >= k0) & (y < k1)
            p[rows[inside], y[inside] - k0] -= 1
            p *= grad / n
            dw[k0:k1] = tau * (p.T @ h)
            dh += tau * (p @ w[k0:k1])
        return dh, dw, None, None, None


def unit_rows(rows, cols, generator):
    x = torch.randn(rows, cols, generator=generator)
    return x / x.norm(dim=1, keepdim=True)


def median_seconds(step, repeats):
    for _ in range(2):
        step()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--classes", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1024)
    parser.add_argument("--dim", type=int, default=64)
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    parser.add_argument("--tau", type=float, default=30.0)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--chunk", type=int, default=8192)
    parser.add_argument("--variants", default="materialised,chunked")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    generator = torch.Generator().manual_seed(1)
    w = unit_rows(args.classes, args.dim, generator).requires_grad_()
    h = unit_rows(args.batch, args.dim, generator).requires_grad_()
    y = torch.randint(args.classes, (args.batch,), generator=generator)

    def materialised():
        w.grad = h.grad = None
        loss = F.cross_entropy(args.tau * (h @ w.T), y)
        loss.backward()
        return loss

    def chunked():
        w.grad = h.grad = None
        loss = ChunkedCrossEntropy.apply(h, w, y, args.tau, args.chunk)
        loss.backward()
        return loss

    variants = {"materialised": materialised, "chunked": chunked}
    losses = {}
    for name in args.variants.split(","):
        seconds = median_seconds(variants[name], args.repeats)
        losses[name] = float(variants[name]())
        print(json.dumps({"peer": "torch-" + name, "torch": torch.__version__, "classes": args.classes,
                          "batch": args.batch, "dim": args.dim, "threads": args.threads,
                          "step_seconds": seconds, "loss": losses[name]}),
              flush=True)
    if len(losses) == 2 and abs(losses["materialised"] - losses["chunked"]) > 1e-3 * abs(losses["materialised"]):
        raise SystemExit(f"the variants disagree: {losses}")


if __name__ == "__main__":
    main()
