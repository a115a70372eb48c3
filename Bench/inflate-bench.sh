#!/usr/bin/env bash
# Before/after figures for inflating wheel members (not in CI): the kit's zip reader at an older
# commit (by default the last one with the hand-written deflate decoder, before zlib) beside the
# current tree, on the same members of the kept torch macOS wheel, in one run.
#
#   bash Bench/inflate-bench.sh [REPEATS] [BEFORE-COMMIT]
#
# Each side is built in release mode (into .build-inflate-bench/) in a temporary package (Bench/InflateBench/main.swift against
# that copy of the kit, with @testable import, so -enable-testing); the older commit is unpacked
# with `git archive` under .build-inflate-bench/ (ignored by git), never into the tree.
# Each member is timed in a process of its own, so that its peak resident memory (getrusage) is
# its own: the figure includes the process itself and the touched pages of the mapped wheel.
# Members: torch/lib/libomp.dylib (the runtime the kit reads) and the wheel's largest member.
# Needs the provisioned wheel (Scripts/provision-runtimes.sh) and python3.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
repeats=${1:-15}
before=${2:-}
if [[ -z $before ]]; then
    first=$(git log --format=%H --diff-filter=A -- Sources/CZlib/module.modulemap | tail -1)
    [[ -n $first ]] || { echo "inflate-bench: no commit adds Sources/CZlib; name the 'before' commit" >&2; exit 2; }
    before=$(git rev-parse "$first^")
fi
before=$(git rev-parse --verify "$before^{commit}") || { echo "inflate-bench: '$2' is not a commit" >&2; exit 2; }

runtimes=${OMP_CONFORMANCE_RUNTIMES:-${OMP_CONFORMANCE_CACHE:+$OMP_CONFORMANCE_CACHE/runtimes}}
runtimes=${runtimes:-${XDG_CACHE_HOME:-$HOME/.cache}/openmp-conformance/runtimes}
wheel=$(python3 - "$runtimes/manifest.json" <<'PY'
import json, os, sys
m = json.load(open(sys.argv[1]))
w = [x for x in m.get("wheels", []) if x["name"] == "torch-macos-arm64"]
print(os.path.join(os.path.dirname(sys.argv[1]), w[0]["path"]) if w else "")
PY
) || true
[[ -n $wheel && -f $wheel ]] || { echo "inflate-bench: the torch-macos-arm64 wheel is not provisioned in $runtimes (omp-matrix provision)" >&2; exit 4; }
largest=$(python3 -c 'import sys, zipfile; print(max(zipfile.ZipFile(sys.argv[1]).infolist(), key=lambda i: i.file_size).filename)' "$wheel")

# Builds are kept (incremental on a rerun); the sources of the older commit are not.
scratch=$root/.build-inflate-bench
work=$(mktemp -d /tmp/omp-inflate-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT
# The older commit's sources, unpacked once per commit beside its build (git ignores .build-*/).
kit_before=$scratch/kit-$(git rev-parse --short=12 "$before")
if [[ ! -f $kit_before/Package.swift ]]; then
    rm -rf "$kit_before" && mkdir -p "$kit_before"
    git archive "$before" | tar -x -C "$kit_before"
fi

# One driver package per side, both named after the kit so the product reference is the same.
driver() { # NAME KIT-PATH
    local dir=$work/$1
    mkdir -p "$dir/Sources/inflate-bench"
    cp "$root/Bench/InflateBench/main.swift" "$dir/Sources/inflate-bench/"
    cat > "$dir/Package.swift" <<SWIFT
// swift-tools-version: 6.1
import PackageDescription
let package = Package(
    name: "inflate-bench-$1", platforms: [.macOS(.v15)],
    dependencies: [.package(name: "openmp-conformance", path: "$2")],
    targets: [.executableTarget(name: "inflate-bench", dependencies: [.product(name: "OpenMPConformance", package: "openmp-conformance")])]
)
SWIFT
    echo "== building $1 (release) against $2" >&2
    (cd "$dir" && swift build -c release -Xswiftc -enable-testing --product inflate-bench --scratch-path "$scratch/$1" >&2)
}
driver before "$kit_before"
driver after "$root"

echo "== $wheel, $repeats repeats per member; before = $(git log -1 --format='%h %s' "$before" | cut -c1-90)" >&2
results=$work/results.jsonl
for member in torch/lib/libomp.dylib "$largest"; do
    for side in before after; do
        printf '{"side": "%s", "figures": %s}\n' "$side" "$("$scratch/$side/release/inflate-bench" "$wheel" "$member" "$repeats")" >> "$results"
    done
done
python3 - "$results" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
by = {}
for r in rows:
    by.setdefault(r["figures"]["member"], {})[r["side"]] = r["figures"]
print(f"{'member':<34} {'inflated':>11} {'':>7} {'median ms':>10} {'min ms':>9} {'MB/s':>8} {'peak RSS MiB':>13} {'(before inflating)':>19}")
for member, sides in by.items():
    for side in ("before", "after"):
        f = sides[side]
        print(f"{member if side == 'before' else '':<34} {f['inflated'] if side == 'before' else '':>11} {side:>7} "
              f"{f['median_ms']:>10.1f} {f['min_ms']:>9.1f} {f['mb_per_s']:>8.0f} {f['peak_rss_kib'] / 1024:>13.1f} "
              f"{f['peak_rss_kib_before'] / 1024:>19.1f}")
    b, a = sides["before"], sides["after"]
    print(f"{'':<34} {'':>11} {'ratio':>7} {b['median_ms'] / a['median_ms']:>9.1f}x faster, "
          f"peak RSS {a['peak_rss_kib'] - b['peak_rss_kib']:+d} KiB")
PY
