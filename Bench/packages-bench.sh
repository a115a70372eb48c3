#!/usr/bin/env bash
# Figures for `omp-matrix doctor --packages` (not in CI; the second figure needs the network):
#   1. five packages found in the wheel catalog (goal: at most 2 s);
#   2. the same five plus one package not in the catalog, downloaded each time into an empty cache
#      (goal: the download's time plus at most 2 s), and then answered from the recorded download;
#   3. the five as a requirements file with version specifiers and environment markers (goal: at most 2 s).
# Usage: bash Bench/packages-bench.sh [repeats] [extra package==version]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
n=${1:-5}
extra=${2:-pyyaml==6.0.2}
swift build -c release --product omp-matrix >/dev/null
cli="$root/.build/release/omp-matrix"
five=(torch==2.15.0 faiss-cpu scikit-learn lightgbm xgboost)
work=$(mktemp -d /tmp/omp-packages-bench-XXXXXX); trap 'rm -rf "$work"' EXIT
now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f s (min %.3f, max %.3f)", m, a[1], a[NR]}'; }
timed() { local t0 t1; t0=$(now); "$@" >/dev/null 2>&1 || true; t1=$(now); awk "BEGIN{print $t1 - $t0}"; }
catalog=(); fresh=(); recorded=(); reqs=()
printf '%s\n' "torch>=2.0,<3 ; sys_platform != 'linux' or python_version >= '3.10'" "faiss-cpu~=1.15" "scikit-learn==1.9.*" \
    "lightgbm ; platform_machine in 'x86_64 arm64 AMD64'" "xgboost!=3.0.0" > "$work/requirements.txt"
for i in $(seq "$n"); do
    for p in macos-arm64 linux-x86_64 windows-x86_64; do
        catalog+=("$(timed "$cli" doctor --packages "${five[@]}" --platform "$p")")
        reqs+=("$(timed "$cli" doctor --requirements "$work/requirements.txt" --platform "$p")")
    done
    mkdir -p "$work/$i"
    fresh+=("$(OMP_CONFORMANCE_RUNTIMES="$work/$i" timed "$cli" doctor --packages "${five[@]}" "$extra" --platform linux-x86_64)")
    recorded+=("$(OMP_CONFORMANCE_RUNTIMES="$work/$i" timed "$cli" doctor --packages "${five[@]}" "$extra" --platform linux-x86_64)")
done
OMP_CONFORMANCE_RUNTIMES="$work/1" "$cli" doctor --packages "$extra" --platform linux-x86_64 | grep -F "$(echo "${extra%%=*}" | tr A-Z a-z)" || true
echo "doctor --packages, five catalog packages (${five[*]}), 3 platforms x $n: $(printf '%s\n' "${catalog[@]}" | median)   goal <= 2 s"
echo "  + $extra not in the catalog, downloaded into an empty cache: $(printf '%s\n' "${fresh[@]}" | median)"
echo "  + $extra answered from the recorded download (no network):   $(printf '%s\n' "${recorded[@]}" | median)   goal <= 2 s beyond the download"
echo "doctor --requirements, the five with specifiers and markers, 3 platforms x $n: $(printf '%s\n' "${reqs[@]}" | median)   goal <= 2 s"
