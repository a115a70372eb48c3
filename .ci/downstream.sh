#!/usr/bin/env bash
# The README's "Use it from your own package", followed to the letter: a fresh package in a
# temporary folder, made from the README's exact lines, depending on a clone of this repository
# (in a folder named openmp-conformance, by file:// URL). Then the gate's promises:
#   - the first `swift test` passes on this host (its baseline is the kit's);
#   - with no baseline: each comparison skipped with a warning; strict mode fails naming the host key;
#   - with no runtimes: one failure naming the provision command;
#   - a corrupt baseline, and one named explicitly for another host, fail in either mode;
#   - the README's record-a-baseline commands give a baseline that strict mode passes with;
#   - after `rm -rf .build`, `swift test` passes again with no new provisioning.
# Needs the runtimes provisioned already (Scripts/test.sh does it). OMP_CONFORMANCE_SELECT narrows
# the cells (default: one row, to keep CI short).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export OMP_CONFORMANCE_SELECT=${OMP_CONFORMANCE_SELECT:-row=linux-cpu-training}
unset OMP_PROBE OMP_CONFORMANCE_STRICT OMP_CONFORMANCE_BASELINE OMP_CONFORMANCE_BASELINES
work=$(mktemp -d "${TMPDIR:-/tmp}/omp-downstream.XXXXXX")
trap 'rm -rf "$work"' EXIT
say() { printf '== downstream: %s\n' "$*"; }
fail() { printf 'downstream: FAILED: %s\n' "$*" >&2; exit 1; }

say "cloning this repository into $work/openmp-conformance"
git clone -q "$ROOT" "$work/openmp-conformance"
git -C "$work/openmp-conformance" checkout -q -B main

# The README's block between the downstream-package markers: the first swift fence is
# Package.swift, the second the test file, the sh fence the commands.
pkg=$work/MyPackage
mkdir -p "$pkg/Tests/MyPackageTests"
awk -v pkg="$pkg" '
    /<!-- BEGIN downstream-package/ { inside = 1; next }
    /<!-- END downstream-package/ { inside = 0 }
    !inside { next }
    /^```swift/ { n++; out = (n == 1 ? pkg "/Package.swift" : pkg "/Tests/MyPackageTests/ConformanceTests.swift"); next }
    /^```sh/ { out = pkg "/commands.sh"; next }
    /^```/ { out = ""; next }
    out != "" { print > out }
' "$ROOT/README.md"
[[ -s $pkg/Package.swift && -s $pkg/Tests/MyPackageTests/ConformanceTests.swift && -s $pkg/commands.sh ]] \
    || fail "README.md lacks the downstream-package block (Package.swift, test file, commands)"
grep -q 'package: "openmp-conformance"' "$pkg/Package.swift" || fail "the README's product lines lack package: \"openmp-conformance\""
# The only change: the dependency's URL points at the clone.
sed -i -E 's#\.package\(url: "[^"]*"#.package(url: "file://'"$work"'/openmp-conformance"#' "$pkg/Package.swift"
cd "$pkg"

run_test() { # run_test LOG [env...]: swift test, output in LOG; returns its status
    local log=$1; shift
    set +e; env "$@" swift test >"$log" 2>&1; local st=$?; set -e
    # Prefixed: several of these runs fail on purpose, and their closing lines must not read as
    # the CI run's own.
    printf '   downstream swift test (exit %d) | %s\n' "$st" "$(tail -1 "$log")"
    return $st
}

say "the README's commands: $(grep -v '^ *$' commands.sh | sed 's/ *#.*//' | paste -sd';')"
manifest=$(swift run -q omp-matrix provision 2>&1 | tail -1)
echo "$manifest"
[[ $manifest == "nothing downloaded;"* ]] || fail "provisioning downloaded something, though the cache was provisioned: $manifest"
manifest_file=${manifest##* manifest }
stamp() { sha256sum "$manifest_file" | cut -c1-16; stat -c %Y "$manifest_file"; }
before=$(stamp)

say "swift test, as the README says (this host's baseline is the kit's)"
run_test "$work/first.log" || { tail -40 "$work/first.log"; fail "the first swift test failed"; }
grep -q "passed after" "$work/first.log" || fail "no closing line"
grep -q "compared with baseline .*/Matrices/baselines/.*\.json" "$work/first.log" || fail "the run does not name the baseline it used"

say "no baseline for this host: each comparison skipped, with a warning"
mkdir -p "$work/empty"
run_test "$work/none.log" OMP_CONFORMANCE_BASELINES="$work/empty" || { tail -20 "$work/none.log"; fail "no baseline must not fail outside strict mode"; }
grep -q "baseline comparison skipped: no baseline for host key" "$work/none.log" || fail "the skip and its reason are not shown"
grep -q "omp-matrix gate --update" "$work/none.log" || fail "the skip does not name the command that records a baseline"
grep -Eq "passed after .* with [0-9]+ warning" "$work/none.log" || fail "the closing line does not count the skipped comparisons"
key=$(sed -n 's/.*no baseline for host key \([^ ]*\) .*/\1/p' "$work/none.log" | head -1)
[[ -n $key ]] || fail "the skip message does not name the host key"

say "no runtimes: one failure that names the provision command, not one per cell"
if run_test "$work/noruntimes.log" OMP_CONFORMANCE_RUNTIMES="$work/empty"; then fail "tests passed without runtimes"; fi
[[ $(grep -c "OpenMP runtimes not provisioned" "$work/noruntimes.log") == 1 ]] || fail "not exactly one failure for missing runtimes"
grep -q "swift run omp-matrix provision" "$work/noruntimes.log" || fail "the failure does not name the provision command"

say "strict mode with no baseline fails, naming the host key ($key)"
if run_test "$work/strict.log" OMP_CONFORMANCE_STRICT=1 OMP_CONFORMANCE_BASELINES="$work/empty"; then fail "strict mode passed without a baseline"; fi
grep -q "strict mode (OMP_CONFORMANCE_STRICT=1): no baseline for host key $key" "$work/strict.log" || fail "strict failure does not name the host key"

say "a corrupt baseline for this host fails, in either mode"
mkdir -p Matrices/baselines
printf '{ "schemaVersion": 1, "hostKey": ' > "Matrices/baselines/$key.json"
for strict in 0 1; do
    if run_test "$work/corrupt.log" OMP_CONFORMANCE_STRICT=$strict; then fail "a corrupt baseline passed (strict=$strict)"; fi
    grep -q "baseline $pkg/Matrices/baselines/$key.json cannot be used" "$work/corrupt.log" || fail "the failure does not name the corrupt file"
done
rm -r Matrices   # gate --update below must make Matrices/baselines itself, as in a fresh package

say "a baseline named explicitly for another host fails, in either mode"
printf '{ "schemaVersion": 1, "hostKey": "another-host-arm64", "cells": {} }\n' > "$work/other.json"
for strict in 0 1; do
    if run_test "$work/other.log" OMP_CONFORMANCE_STRICT=$strict OMP_CONFORMANCE_BASELINE="$work/other.json"; then
        fail "another host's baseline passed (strict=$strict)"
    fi
    grep -q "baseline $work/other.json named by OMP_CONFORMANCE_BASELINE, it is the baseline of host another-host-arm64" "$work/other.log" \
        || fail "the failure does not name the file and the other host"
done

say "recording this package's own baseline as the README says, then strict mode passes with it"
row=${OMP_CONFORMANCE_SELECT#row=}; row=${row%%,*}
swift run -q omp-matrix run --row "$row" --output "results/$key.json" >/dev/null || [[ $? == 1 ]] || fail "omp-matrix run failed"
swift run -q omp-matrix gate --update --baseline "Matrices/baselines/$key.json" "results/$key.json"
run_test "$work/own.log" OMP_CONFORMANCE_STRICT=1 OMP_CONFORMANCE_BASELINES="$pkg/Matrices/baselines" \
    || { tail -20 "$work/own.log"; fail "strict mode failed with the recorded baseline"; }

say "rm -rf .build, then swift test again: no new provisioning"
rm -rf .build
run_test "$work/again.log" OMP_CONFORMANCE_STRICT=1 || { tail -20 "$work/again.log"; fail "swift test failed after rm -rf .build"; }
[[ $(stamp) == "$before" ]] || fail "the runtime manifest changed: something provisioned again"
say "all checks passed"
