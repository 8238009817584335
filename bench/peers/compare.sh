#!/usr/bin/env bash
# Runs gnc's fused cross-entropy and the PyTorch peers on the same shapes and thread count, then
# prints the time per forward+backward step of each and the ratios peer / gnc.
#   [RUNS=r] bench/peers/compare.sh [threads] [shapes...]   shapes as KxNxd, default 100000x1024x16 ...
# RUNS (default 1) repeats each shape's gnc and peer processes r times, alternating, and reports
# the medians and each run's ratios: on a machine whose memory speed changes from one process to
# the next, the memory-bound peers' times do too (docs/BENCHMARKS.md).
# OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are unset for the run (see docs/BENCHMARKS.md).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
threads="${1:-2}"
shift || true
shapes=("$@")
if [[ ${#shapes[@]} -eq 0 ]]; then
  shapes=(100000x1024x16 100000x1024x64 1000000x1024x16 1000000x1024x64)
fi
runs="${RUNS:-1}"
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "compare.sh: RUNS must be a positive integer, got '$runs'" >&2; exit 2; }
python=/usr/bin/python3   # Debian's interpreter: it sees python3-torch
"$python" -c 'import torch' 2>/dev/null || {
  echo "compare.sh: $python cannot import torch; install it with: apt-get install python3-torch libopenblas0-openmp" >&2
  exit 1
}
printf '%-22s %12s %14s %14s %10s %10s\n' "K x N x d" "gnc s/step" "torch mat." "torch chunk" "mat./gnc" "chunk/gnc"
for shape in "${shapes[@]}"; do
  IFS=x read -r k n d <<< "$shape"
  gnc_runs=()
  torch_runs=()
  for ((run = 0; run < runs; run++)); do
    gnc_runs+=("$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$root/gnc" bench ce --classes "$k" --batch "$n" \
      --dim "$d" --threads "$threads" --json 2>/dev/null)")
    torch_runs+=("$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_NUM_THREADS="$threads" "$python" \
      "$root/bench/peers/torch_ce.py" --classes "$k" --batch "$n" --dim "$d" --threads "$threads")")
  done
  "$python" - "$shape" "$runs" "${gnc_runs[@]}" "${torch_runs[@]}" <<'PY'
import json, statistics, sys
shape, runs = sys.argv[1], int(sys.argv[2])
gnc = [json.loads(j)["step_seconds"] for j in sys.argv[3:3 + runs]]
peers = {"torch-materialised": [], "torch-chunked": []}
for lines in sys.argv[3 + runs:]:
    for line in lines.splitlines():
        record = json.loads(line)
        peers[record["peer"]].append(record["step_seconds"])
median = lambda xs: statistics.median(xs) if xs else float("nan")
g, m, c = median(gnc), median(peers["torch-materialised"]), median(peers["torch-chunked"])
print(f"{shape:22s} {g:12.4f} {m:14.4f} {c:14.4f} {m / g:10.2f} {c / g:10.2f}")
if runs > 1:
    each = lambda name: " ".join(f"{p / q:.2f}" for p, q in zip(peers[name], gnc))
    print(f"{'':22s} runs: gnc {' '.join(f'{x:.4f}' for x in gnc)}; "
          f"mat./gnc {each('torch-materialised')}; chunk/gnc {each('torch-chunked')}")
PY
done
