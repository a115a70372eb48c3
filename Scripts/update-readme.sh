#!/usr/bin/env bash
# Regenerates the README's results section (and its snapshot under Matrices/baselines/)
# from a complete results file: the newest in results/, or the one given.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product omp-matrix >/dev/null
.build/debug/omp-matrix readme "$@"
