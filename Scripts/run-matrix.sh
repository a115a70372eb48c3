#!/usr/bin/env bash
# The main job: provision the runtimes, build, run the bundled matrix on this host, and
# write every report. Results land in results/, reports in reports/.
#   Scripts/run-matrix.sh [extra omp-matrix run options, e.g. --row linux-cpu-training]
#
# One debug build of omp-matrix serves provisioning, the run and the reports (its work is files
# and process supervision); the probe, whose workloads are timed, is built in release. The
# tests (Scripts/test.sh) share both builds.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
phase() { printf '== %s (%d s so far)\n' "$1" "$SECONDS"; }
phase "provisioning (prerequisites, omp-matrix debug build, runtimes)"
# Exit 4 (an item not provisioned, reason printed) still runs what can run.
bash Scripts/provision-runtimes.sh || { st=$?; [ "$st" -eq 4 ] || exit "$st"; }
phase "building the release probe"
swift build -c release --product omp-probe
bin="$root/.build/debug"
export OMP_PROBE="$root/.build/release/omp-probe"
mkdir -p results reports
phase "running the matrix"
set +e
"$bin/omp-matrix" run "$@"
status=$?
set -e
# 4 (incomplete: e.g. the Windows column could not run without Wine, reason printed) still writes the reports.
if [ "$status" -ge 2 ] && [ "$status" -ne 4 ]; then exit "$status"; fi
phase "writing the reports"
latest=$("$bin/omp-matrix" report --print-latest)
for fmt in md json junit; do
  "$bin/omp-matrix" report "$latest" --format "$fmt" --output "reports/matrix.$fmt"
done
# The HTML in two pages: the answer, claims and grid first; every test case's evidence second.
"$bin/omp-matrix" report "$latest" --format html --cells-page matrix-cells.html --output reports/matrix.html
"$bin/omp-matrix" report "$latest" --format html-cells --output reports/matrix-cells.html
# The runtime atlas: every ordered pair of the catalog's runtimes, measured here.
phase "the runtime atlas"
set +e
"$bin/omp-matrix" atlas --results reports/atlas.json --format md --output reports/atlas.md
atlas_status=$?
set -e
if [ -s reports/atlas.json ]; then
  # Rendering an incomplete atlas exits 4 like measuring it did; any other failure stops the job.
  "$bin/omp-matrix" atlas --from reports/atlas.json --format html --output reports/atlas.html || [ $? -eq 4 ]
  "$bin/omp-matrix" atlas --from reports/atlas.json --format summary || [ $? -eq 4 ]
fi
if [ "$atlas_status" -ne 0 ]; then echo "== atlas exit status $atlas_status"; fi
if [ -s reports/atlas.json ]; then
  # The matrix reports again, their claims judged with this job's own atlas (its stack shapes,
  # concurrent and nested cells) rather than the checked-in snapshot.
  for fmt in md json; do
    "$bin/omp-matrix" report "$latest" --atlas reports/atlas.json --format "$fmt" --output "reports/matrix.$fmt"
  done
  "$bin/omp-matrix" report "$latest" --atlas reports/atlas.json --format html --cells-page matrix-cells.html --output reports/matrix.html
fi
# The Windows atlas: the OpenMP DLLs Windows wheels ship, every ordered pair probed under Wine 8.0
# (not Windows). Without Wine it says why and exits 4 (incomplete).
phase "the Windows atlas (the real DLLs under Wine 8.0, not Windows)"
set +e
"$bin/omp-matrix" atlas --platform windows-x86_64 --results reports/atlas-windows.json --format md --output reports/atlas-windows.md
windows_status=$?
set -e
if [ -s reports/atlas-windows.json ]; then
  "$bin/omp-matrix" atlas --from reports/atlas-windows.json --format html --output reports/atlas-windows.html || [ $? -eq 4 ]
  "$bin/omp-matrix" atlas --from reports/atlas-windows.json --format summary || [ $? -eq 4 ]
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then cat reports/atlas-windows.md >> "$GITHUB_STEP_SUMMARY"; fi
fi
if [ "$windows_status" -ne 0 ]; then echo "== Windows atlas exit status $windows_status"; fi
if [ "$atlas_status" -eq 0 ]; then atlas_status=$windows_status; fi
echo "== reports: $(ls reports | sed 's/^/reports\//' | tr '\n' ' ')"
if [ "$status" -eq 0 ] && [ "$atlas_status" -ne 0 ]; then status=$atlas_status; fi
phase "done"
exit "$status"
