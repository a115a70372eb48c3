#!/usr/bin/env bash
# Figures for the Windows atlas (not in CI): wall time of the whole
# `omp-matrix atlas --platform windows-x86_64` (every ordered pair of the Windows DLLs, three
# probes each, under one persistent wineserver), provisioning excluded. Goal: at most 60 s on 2 cores.
# Usage: bash Bench/windows-atlas-bench.sh [repeats] [omp-matrix atlas options, e.g. --jobs 4]
# Needs Wine, the Windows probe and the DLLs provisioned (Scripts/provision-runtimes.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
n=${1:-3}
shift || true
swift build --product omp-matrix >/dev/null
cli="$root/.build/debug/omp-matrix"
work=$(mktemp -d /tmp/omp-windows-bench-XXXXXX); trap 'rm -rf "$work"' EXIT
for i in $(seq "$n"); do
    status=0
    "$cli" atlas --platform windows-x86_64 --results "$work/atlas-$i.json" --output "$work/summary-$i.txt" "$@" 2>/dev/null || status=$?
    if [ "$status" -ne 0 ]; then echo "run $i: omp-matrix atlas exited $status (see $work/summary-$i.txt)" >&2; cat "$work/summary-$i.txt" >&2; exit "$status"; fi
done
python3 - "$work" "$n" <<'PY'
import json, sys, statistics
work, n = sys.argv[1], int(sys.argv[2])
runs = [json.load(open(f"{work}/atlas-{i}.json")) for i in range(1, n + 1)]
walls = sorted(r["timing"]["wallSeconds"] for r in runs)
probes = [r["timing"]["probes"] for r in runs]
jobs = runs[0]["timing"]["jobs"]
aborts = sum(1 for c in runs[0]["cells"] for o in c["observations"] if o["outcomes"] == ["duplicate-runtime-abort"])
med = statistics.median(walls)
print(f"Windows atlas ({runs[0]['platform']['label']}): {len(runs[0]['runtimes'])} DLLs, {probes[0]} probes "
      f"({aborts} Error #15 aborts), {jobs} in flight")
print(f"wall: median {med:.1f} s (min {walls[0]:.1f}, max {walls[-1]:.1f}) over {n} runs; "
      f"{probes[0] / med:.1f} probes/s; goal <= 60 s: {'met' if med <= 60 else 'NOT met'}")
PY
