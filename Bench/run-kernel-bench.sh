#!/usr/bin/env bash
# Side-by-side bench of the native kernels against the Python libraries (issue 5, figures 4 and 5):
#   1. flat-IP search: OMPProbeCore's FlatIndex vs faiss-cpu IndexFlatIP (d=768, nb=100000, nq=1000,
#      k=10, 2 threads, ids compared exactly), with one bare OpenBLAS sgemm of the score matrix as the bound;
#   2. training step (Linear 768x768 + bias, Adam) at batch 8 and 256: ours vs numpy.
# Builds omp-kernel-bench (release, scratch .build-bench), reuses or creates the venv in .bench/venv
# (gitignored; same pins as Bench/run-python-bench.sh) and runs Bench/kernel_bench.py, which prints
# one table. Extra arguments go to kernel_bench.py (e.g. --repeats 7, --only search).
# OPENBLAS_CORETYPE, if set in the environment, is passed through to both sides as it is.
# Not part of CI.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.bench/venv
NUMPY_VERSION=2.3.5
FAISS_VERSION=1.12.0
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet "numpy==$NUMPY_VERSION" "faiss-cpu==$FAISS_VERSION"
fi
LOG=.bench/kernel-bench-build.log
if ! swift build -c release --product omp-kernel-bench --scratch-path .build-bench > "$LOG" 2>&1; then
    tail -40 "$LOG" >&2
    echo "run-kernel-bench: release build failed (full log: $LOG)" >&2
    exit 1
fi
BIN=.build-bench/release/omp-kernel-bench
echo "\$ $VENV/bin/python Bench/kernel_bench.py --binary $BIN $*"
exec "$VENV/bin/python" Bench/kernel_bench.py --binary "$BIN" "$@"
