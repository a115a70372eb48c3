#!/usr/bin/env bash
# The test command: provisions what is missing (apt packages, real runtimes), builds the
# release probe the tests time, and runs the whole Swift Testing suite with real probes.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash Scripts/provision-runtimes.sh
echo "== the C shim for macOS (aarch64, x86_64), compiled and linked with zig"
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
echo "== building the release probe (.build-probe)"
swift build -c release --product omp-probe --scratch-path .build-probe
export OMP_PROBE="$root/.build-probe/release/omp-probe"
echo "== building and running the tests"
swift build --build-tests
swift test --skip-build "$@"
echo "== the downstream example package (Examples/DownstreamExample)"
(cd Examples/DownstreamExample && swift test)
