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
phase "the C shim for macOS (aarch64, x86_64), compiled and linked with zig"
rc=0; bash Scripts/check-macos-shim.sh || rc=$?
if [ "$rc" = 77 ]; then echo "   skipped: zig's C compiler cannot be installed here"; elif [ "$rc" != 0 ]; then exit "$rc"; fi
# The results-schema tests validate with an independent validator: Python's jsonschema, from
# Debian (its system pip refuses installs). Without it those tests are skipped, saying why.
if ! /usr/bin/python3 -c 'import jsonschema' 2>/dev/null && ! python3 -c 'import jsonschema' 2>/dev/null; then
    echo "== apt-get install python3-jsonschema"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends python3-jsonschema \
        || { apt-get update -qq && apt-get install -y -qq --no-install-recommends python3-jsonschema; } \
        || echo "warning: python3-jsonschema could not be installed; the results-schema tests will be skipped" >&2
fi
# The doctor's tests rename a vendored runtime copy with patchelf, as auditwheel does for wheels.
if ! command -v patchelf >/dev/null 2>&1; then
    echo "== apt-get install patchelf"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends patchelf \
        || { apt-get update -qq && apt-get install -y -qq --no-install-recommends patchelf; } \
        || echo "warning: patchelf could not be installed; the doctor's command tests will be skipped" >&2
fi
phase "building the release probe"
swift build -c release --product omp-probe
export OMP_PROBE="$root/.build/release/omp-probe"
phase "building the tests"
swift build --build-tests
phase "running the tests"
swift test --skip-build --disable-xctest "$@"
phase "done"
