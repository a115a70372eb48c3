#!/usr/bin/env bash
# The CI-only test lane (called by .ci/run after Scripts/test.sh, which built everything): the
# tests marked `.ciLane` (Tests/OpenMPConformanceTests/Support/CILane.swift), which download from
# Debian's archive or take long (the JSON oracle's thousands of documents through Python). The
# default suite leaves them out, saying so; here OMP_CONFORMANCE_CI_LANE=1 turns them on.
#   Scripts/test-ci-lane.sh [extra swift test options]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export OMP_PROBE="${OMP_PROBE:-$root/.build/release/omp-probe}"
export OMP_CONFORMANCE_CI_LANE=1
# The suites that hold `.ciLane` tests, found in the sources (their other tests run again, quickly).
files=$(grep -rl --include='*.swift' '\.ciLane\b' Tests | grep -v '/Support/CILane.swift$' || true)
[ -n "$files" ] || { echo "test-ci-lane: no test is marked .ciLane" >&2; exit 2; }
suites=$(grep -ho '^struct [A-Za-z0-9_]*Tests\b' $files | awk '{print $2}' | sort -u | paste -sd'|')
echo "== the CI-only lane: $suites"
swift build --build-tests
swift test --skip-build --disable-xctest --quiet --filter "$suites" "$@"
