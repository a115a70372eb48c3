#!/usr/bin/env bash
# Times the Python anchor for `omp-matrix bench`: N runs of Bench/python_verification.py
# (numpy + faiss-cpu, no torch), each timed from process start to exit.
# Creates a throwaway venv in .bench/venv (gitignored). Not part of CI.
# Usage: Bench/run-python-bench.sh [N]   (default 15)
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-15}"
VENV=.bench/venv
NUMPY_VERSION=2.3.5
FAISS_VERSION=1.12.0
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet "numpy==$NUMPY_VERSION" "faiss-cpu==$FAISS_VERSION"
fi
PY="$VENV/bin/python"
# The probe's pinned thread counts, so both sides do the same work the same way.
export OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=1
"$PY" -c 'import numpy, faiss; print("numpy", numpy.__version__, "faiss", faiss.__version__)'
times=()
for i in $(seq 1 "$N"); do
    t0=$(date +%s.%N)
    "$PY" Bench/python_verification.py > /dev/null
    t1=$(date +%s.%N)
    times+=("$(echo "$t1 - $t0" | bc -l)")
done
printf '%s\n' "${times[@]}" | sort -g | awk -v n="$N" '
    { a[NR] = $1 }
    END {
        med = (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
        printf "python_verification.py x%d: median %.1f ms, min %.1f ms, max %.1f ms\n", n, med * 1000, a[1] * 1000, a[n] * 1000
    }'
