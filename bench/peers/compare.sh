#!/usr/bin/env bash
# Runs gnc's fused cross-entropy and the PyTorch peers on the same shapes and thread count, then
# prints the time per forward+backward step of each and the ratios peer / gnc.
#   bench/peers/compare.sh [threads] [shapes...]   shapes as KxNxd, default 100000x1024x16 ...
# OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are unset for the run (see docs/BENCHMARKS.md).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
threads="${1:-2}"
shift || true
shapes=("$@")
if [[ ${#shapes[@]} -eq 0 ]]; then
  shapes=(100000x1024x16 100000x1024x64 1000000x1024x16 1000000x1024x64)
fi
python=/usr/bin/python3   # Debian's interpreter: it sees python3-torch
"$python" -c 'import torch' 2>/dev/null || {
  echo "compare.sh: $python cannot import torch; install it with: apt-get install python3-torch libopenblas0-openmp" >&2
  exit 1
}
printf '%-22s %12s %14s %14s %10s %10s\n' "K x N x d" "gnc s/step" "torch mat." "torch chunk" "mat./gnc" "chunk/gnc"
for shape in "${shapes[@]}"; do
  IFS=x read -r k n d <<< "$shape"
  gnc_json="$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$root/gnc" bench ce --classes "$k" --batch "$n" \
    --dim "$d" --threads "$threads" --json 2>/dev/null)"
  torch_json="$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_NUM_THREADS="$threads" "$python" \
    "$root/bench/peers/torch_ce.py" --classes "$k" --batch "$n" --dim "$d" --threads "$threads")"
  "$python" - "$shape" "$gnc_json" "$torch_json" <<'PY'
import json, sys
shape, gnc, torch_lines = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3].splitlines()
peers = {json.loads(l)["peer"]: json.loads(l)["step_seconds"] for l in torch_lines}
g = gnc["step_seconds"]
m, c = peers.get("torch-materialised", float("nan")), peers.get("torch-chunked", float("nan"))
print(f"{shape:22s} {g:12.4f} {m:14.4f} {c:14.4f} {m / g:10.2f} {c / g:10.2f}")
PY
done
