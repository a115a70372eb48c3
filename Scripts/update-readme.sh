#!/usr/bin/env bash
# Regenerates the README's results section (and its snapshot under Matrices/baselines/)
# from a complete results file: the newest in results/, or the one given.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product omp-matrix >/dev/null
.build/debug/omp-matrix readme "$@"
# The atlas section, from the host's checked-in atlas snapshot (written by `omp-matrix atlas --write-snapshot`).
for snap in Matrices/atlas/*.json; do
  [ -e "$snap" ] || continue
  .build/debug/omp-matrix atlas --from "$snap" --readme README.md >/dev/null
done
# The package-pairs table, from the wheel catalog and the atlas snapshot.
.build/debug/omp-matrix wheels readme README.md
