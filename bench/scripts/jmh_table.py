#!/usr/bin/env python3
"""Turn JMH JSON result files (java -jar bench/target/benchmarks.jar ... -rf json -rff FILE)
into Markdown tables. GemmBenchmark rows get GFLOP/s (2 nb kb d flops per product) and, where
both backends ran the same shape, the vector/openblas ratio. FusedCrossEntropyBenchmark rows
become one line per shape: each method's time, the ratios to the bare GEMMs and to the
materialising baseline, logits per second and effective GFLOP/s (four GEMMs' worth per step).
SphereBenchmark rows get the bytes each op reads and writes, GB/s, the ratio to the GB/s of the
copy in the same file (the same run) at the same K, d and threads, and the ratio to the copy
timed in the op's own fork after each iteration (median and smallest over the iterations)."""
import json
import statistics
import sys
from collections import defaultdict

UNIT_SECONDS = {"ns/op": 1e-9, "us/op": 1e-6, "ms/op": 1e-3, "s/op": 1.0}

# SphereBenchmark: bytes read + written per op, as (K x d float32 matrices, bytes per row besides)
SPHERE_TRAFFIC = {"copy": (2, 0), "normalize": (2, 0), "proj": (3, 0), "retr": (3, 0), "expmap": (3, 0),
                  "rsgd": (3, 0), "momentum": (5, 0), "nesterov": (5, 0), "adam": (5, 8)}


def in_fork_ratios(result, moved, copied):
    """Per measured iteration, the op's GB/s over the GB/s of the copy timed in the same fork right
    after it (SphereBenchmark's copyMillis), or an empty list for results without it."""
    copies = result.get("secondaryMetrics", {}).get("copyMillis")
    if not copies:
        return []
    unit = UNIT_SECONDS[result["primaryMetric"]["scoreUnit"]]
    return [(moved / (t * unit)) / (copied / (c * 1e-3))
            for op_fork, copy_fork in zip(result["primaryMetric"]["rawData"], copies["rawData"])
            for t, c in zip(op_fork, copy_fork)]


def main(paths):
    rows = [(path, r) for path in paths for r in json.load(open(path))]
    gemm = defaultdict(dict)
    ce = defaultdict(dict)
    sphere = {}
    other = []
    for path, r in rows:
        name = r["benchmark"].split(".")[-2] + "." + r["benchmark"].split(".")[-1]
        p = r.get("params", {})
        m = r["primaryMetric"]
        if name.startswith("GemmBenchmark"):
            seconds = m["score"] * UNIT_SECONDS[m["scoreUnit"]]
            flops = 2.0 * int(p["nb"]) * int(p["kb"]) * int(p["d"])
            key = (p["shape"], int(p["d"]), int(p["nb"]), int(p["kb"]), int(p["threads"]))
            gemm[key][p["backend"]] = (flops / seconds / 1e9, m["score"], m["scoreError"], m["scoreUnit"])
        elif name.startswith("FusedCrossEntropyBenchmark"):
            key = (int(p["classes"]), int(p["batch"]), int(p["dim"]), int(p["threads"]), p["backend"])
            ce[key][name.split(".")[1]] = m["score"] * UNIT_SECONDS[m["scoreUnit"]]
        elif name.startswith("SphereBenchmark"):
            op = name.split(".")[1]
            k, d = int(p["rows"]), int(p["d"])
            matrices, per_row = SPHERE_TRAFFIC[op]
            seconds = m["score"] * UNIT_SECONDS[m["scoreUnit"]]
            moved = k * (4.0 * d * matrices + per_row)
            sphere[(path, k, d, int(p["threads"]), op)] = (seconds, m["scoreError"] / m["score"], moved,
                                                          in_fork_ratios(r, moved, k * 8.0 * d))
        else:
            other.append((name, p, m))
    if gemm:
        print("| shape | d | nb | kb | threads | openblas GFLOP/s | vector GFLOP/s | vector / openblas |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for key in sorted(gemm):
            v = gemm[key]
            ob = v.get("openblas", (float("nan"),))[0]
            vec = v.get("vector", (float("nan"),))[0]
            print(f"| {key[0]} | {key[1]} | {key[2]} | {key[3]} | {key[4]} | {ob:.1f} | {vec:.1f} | {vec / ob:.2f} |")
    if ce:
        print()
        print("| K | N | d | threads | fwd ms | fwd / GEMM | fwd+bwd ms | fwd+bwd / GEMMs | naive / fused | "
              "logits/s | GFLOP/s |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for key in sorted(ce):
            t = ce[key]
            k, n, d, threads, _ = key
            nan = float("nan")
            fwd, fb = t.get("forward", nan), t.get("forwardBackward", nan)
            gf, gfb, naive = t.get("gemmForward", nan), t.get("gemmForwardBackward", nan), t.get("naiveForwardBackward")
            logits = float(k) * n
            naive_ratio = f"{naive / fb:.2f}" if naive else "-"
            print(f"| {k:,} | {n} | {d} | {threads} | {fwd * 1e3:.1f} | {fwd / gf:.2f} | {fb * 1e3:.1f} | "
                  f"{fb / gfb:.2f} | {naive_ratio} | {logits / fb:.3g} | {8 * logits * d / fb / 1e9:.0f} |")
    if sphere:
        print()
        print("| op | K | d | threads | ms/op | ± | MB moved | GB/s | / copy | / copy in fork, median (min) |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        order = list(SPHERE_TRAFFIC)
        for key in sorted(sphere, key=lambda k: (k[1], k[2], k[3], k[0], order.index(k[4]))):
            path, k, d, threads, op = key
            seconds, error, moved, in_fork = sphere[key]
            copy = sphere.get((path, k, d, threads, "copy"))
            ratio = f"{moved / seconds / (copy[2] / copy[0]):.2f}" if copy else "-"
            paired = f"{statistics.median(in_fork):.2f} ({min(in_fork):.2f})" if in_fork else "-"
            print(f"| {op} | {k:,} | {d} | {threads} | {seconds * 1e3:.2f} | {error:.0%} | {moved / 1e6:.0f} | "
                  f"{moved / seconds / 1e9:.1f} | {ratio} | {paired} |")
    if other:
        print()
        print("| benchmark | params | score | error | unit |")
        print("|---|---|---:|---:|---|")
        for name, p, m in other:
            params = ", ".join(f"{k}={v}" for k, v in sorted(p.items()))
            print(f"| {name} | {params} | {m['score']:.2f} | {m['scoreError']:.2f} | {m['scoreUnit']} |")


if __name__ == "__main__":
    main(sys.argv[1:])
