#!/usr/bin/env bash
# Captures stdout/stderr of real probe runs as classifier test samples.
#
# Each sample is three files under Tests/OpenMPConformanceTests/Samples/:
#   NAME.stdout, NAME.stderr   what the probe wrote, verbatim
#   NAME.meta                  where it came from: the command, the host, the runtimes' sha256,
#                              how the process ended, and the outcome a person expects.
# The classifier tests replay them; re-run this script to refresh them on another host.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# The runtime cache, resolved as the kit does (RuntimeCatalog.directory).
if [ -n "${OMP_CONFORMANCE_RUNTIMES:-}" ]; then rt=$OMP_CONFORMANCE_RUNTIMES
elif [ -n "${OMP_CONFORMANCE_CACHE:-}" ]; then rt=$OMP_CONFORMANCE_CACHE/runtimes
else rt=${XDG_CACHE_HOME:-$HOME/.cache}/openmp-conformance/runtimes; fi
manifest=$rt/manifest.json
[ -f "$manifest" ] || { echo "capture: $manifest missing; run Scripts/provision-runtimes.sh first" >&2; exit 2; }
probe=${OMP_PROBE:-}
if [ -z "$probe" ]; then
  swift build -c release --product omp-probe >/dev/null
  probe=$root/.build/release/omp-probe
fi
out=Tests/OpenMPConformanceTests/Samples
mkdir -p "$out"
rt() {
  case "$1" in path:*) echo "${1#path:}"; return ;; esac
  python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); import os; p=next(r["path"] for r in m["runtimes"] if r["name"]==sys.argv[2]); print(p if p.startswith("/") else os.path.join(os.path.dirname(os.path.abspath(sys.argv[1])), p))' "$manifest" "$1"
}
sha() { if [ -f "$1" ]; then sha256sum "$1" | cut -d' ' -f1; else echo none; fi; }

capture() { # name expected-outcome kill-after-seconds env-assignments runtimes... -- steps
  local name=$1 expect=$2 limit=$3 envs=$4; shift 4
  local args=() metart=()
  while [ "$1" != "--" ]; do
    local n=${1%%=*} r=${1#*=}
    local p; p=$(rt "$r")
    args+=(--runtime "$n=$p"); metart+=("$n=$r $p sha256:$(sha "$p")")
    shift
  done
  shift
  local steps=$1
  set +e
  # shellcheck disable=SC2086
  env -i OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=1 SWIFT_BACKTRACE=enable=no $envs \
    timeout -s KILL "$limit" "$probe" "${args[@]}" --steps "$steps" >"$out/$name.stdout" 2>"$out/$name.stderr"
  local rc=$?
  set -e
  rm -f /dev/shm/__KMP_REGISTERED_LIB_* 2>/dev/null || true
  {
    echo "name: $name"
    echo "expected: $expect"
    echo "exit-status: $rc"
    echo "killed-after: ${limit}s (timeout -s KILL; 137 means it was still running)"
    echo "steps: $steps"
    echo "env: $envs"
    for m in "${metart[@]}"; do echo "runtime: $m"; done
    echo "host: $(. /etc/os-release; echo "$ID$VERSION_ID") $(uname -m) kernel $(uname -r) glibc $(ldd --version | head -1 | awk '{print $NF}')"
    echo "captured: $(date -u +%Y-%m-%dT%H:%M:%SZ) by Scripts/capture-classifier-samples.sh"
  } >"$out/$name.meta"
  echo "captured $name (exit $rc)"
}

capture abort-llvm14-then-llvm16 duplicate-runtime-abort 10 "" a=llvm14 b=llvm16 -- "load a; init a; load b; init b"
capture abort-intel-then-llvm14 duplicate-runtime-abort 10 "" a=intel b=llvm14 -- "load a; init a; load b; init b"
capture abort-llvm14-then-copy duplicate-runtime-abort 10 "" a=llvm14 b=llvm14-copy -- "load a; init a; load b; init b"
capture exit-hang-llvm14-then-llvm16 hang-at-exit 3 "KMP_DUPLICATE_LIB_OK=TRUE" a=llvm14 b=llvm16 -- "load a; init a; load b; init b; parallel a; parallel b"
capture pass-llvm14-with-gnu pass 10 "" a=llvm14 b=gnu -- "load a; init a; load b; init b; train a; index b"
capture pass-intel-then-llvm14-variable-set pass 10 "KMP_DUPLICATE_LIB_OK=TRUE" a=intel b=llvm14 -- "load a; init a; load b; init b; parallel a; parallel b"
capture launch-not-openmp launch-failed 10 "" a=path:/lib/x86_64-linux-gnu/libm.so.6 -- "load a; init a"
capture launch-missing-path launch-failed 10 "" a=path:/nonexistent/libomp.so.5 -- "load a; init a"
