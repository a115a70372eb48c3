#!/usr/bin/env bash
# The test command: provisions what is missing (apt packages, real runtimes), builds the
# release probe the tests time, and runs the whole Swift Testing suite with real probes.
# It shares its builds with the main job (Scripts/run-matrix.sh): the debug build of the
# package and the release probe.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
phase() { printf '== %s (%d s so far)\n' "$1" "$SECONDS"; }
phase "provisioning (prerequisites, omp-matrix debug build, runtimes)"
# Exit 4 (an item not provisioned, reason printed) still runs what can run.
bash Scripts/provision-runtimes.sh || { st=$?; [ "$st" -eq 4 ] || exit "$st"; }
phase "building the release probe"
swift build -c release --product omp-probe
export OMP_PROBE="$root/.build/release/omp-probe"
phase "building the tests"
swift build --build-tests
phase "running the tests"
swift test --skip-build --disable-xctest "$@"
phase "done"
