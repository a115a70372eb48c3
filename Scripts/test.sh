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
# The Windows DLLs the PE reader's tests read (pinned wheels; nothing downloaded when present).
bash Scripts/provision-pe-fixtures.sh || echo "   Windows DLL fixtures not provisioned: the PE tests on real DLLs are skipped"
phase "the C shim for macOS (aarch64, x86_64), compiled and linked with zig"
rc=0; bash Scripts/check-macos-shim.sh || rc=$?
if [ "$rc" = 77 ]; then echo "   skipped: zig's C compiler cannot be installed here"; elif [ "$rc" != 0 ]; then exit "$rc"; fi
# A Debian package some tests need (PACKAGE, WHAT-IS-SKIPPED-WITHOUT-IT): apt-get update only
# when the install fails; when it cannot be installed, those tests are skipped, saying why.
apt_install_for_tests() {
    echo "== apt-get install $1"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends "$1" \
        || { apt-get update -qq && apt-get install -y -qq --no-install-recommends "$1"; } \
        || echo "warning: $1 could not be installed; $2 will be skipped" >&2
}
# The results-schema tests validate with an independent validator: Python's jsonschema, from
# Debian (its system pip refuses installs).
if ! /usr/bin/python3 -c 'import jsonschema' 2>/dev/null && ! python3 -c 'import jsonschema' 2>/dev/null; then
    apt_install_for_tests python3-jsonschema "the results-schema tests"
fi
# The requirements tests compare the kit's PEP 440 matching with Python's own `packaging`.
if ! /usr/bin/python3 -c 'import packaging' 2>/dev/null && ! python3 -c 'import packaging' 2>/dev/null; then
    apt_install_for_tests python3-packaging "the PEP 440 comparison with Python's packaging"
fi
# The doctor's tests rename a vendored runtime copy with patchelf, as auditwheel does for wheels.
if ! command -v patchelf >/dev/null 2>&1; then
    apt_install_for_tests patchelf "the doctor's command tests"
fi
phase "building the release probe"
swift build -c release --product omp-probe
export OMP_PROBE="$root/.build/release/omp-probe"
phase "building the tests"
swift build --build-tests
phase "running the tests"
# --quiet: issues, warnings, known issues and the closing line; not a line per started or passed test.
swift test --skip-build --disable-xctest --quiet "$@"
phase "done"
