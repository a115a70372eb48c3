#!/usr/bin/env bash
# Provisions what the kit needs on this machine, in two parts:
#
# 1. The Debian packages the build and the probes need, installed as root, and only those
#    missing: libopenblas-pthread-dev and pkg-config (the probe links OpenBLAS), zlib1g-dev (the
#    library inflates wheel members with zlib), libgomp1 and libomp-dev (the system GNU and
#    LLVM 14 runtimes), python3 and its pip (wheel downloads).
# 2. The pinned runtimes and wheels, by the kit's own provisioner (`omp-matrix provision`,
#    Sources/OpenMPConformance/Provisioning), into the per-user cache:
#    $OMP_CONFORMANCE_RUNTIMES, else $OMP_CONFORMANCE_CACHE/runtimes, else
#    ${XDG_CACHE_HOME:-$HOME/.cache}/openmp-conformance/runtimes. A rerun downloads nothing.
#    Runtimes of other Debian suites (LLVM 9 and 11 from bullseye) come through a private apt
#    source list and state folder in that cache (.apt/<suite>/); /etc/apt is never written.
#    An unreachable suite leaves its runtimes "not provisioned: suite unavailable" (exit 4).
# 3. For the Windows platform (windows-x86_64): Debian's wine64 and gcc-mingw-w64-x86-64 (about
#    206 MB), installed as root when missing; the provisioner then builds the Windows probe and
#    a private Wine prefix. Where they cannot be installed (no apt, not root, apt fails) this is
#    skipped with the reason and the Windows items are recorded as not provisioned.
#
# On macOS part 1 is skipped (no dpkg); the provisioner itself runs `brew install libomp`
# when Homebrew's libomp is missing.
#
#   Scripts/provision-runtimes.sh [omp-matrix provision options, e.g. --only llvm16,intel --verify]
#
# Exit status: that of `omp-matrix provision` (0 all there, 4 some item not provisioned, with
# the reason printed and recorded in the manifest), or 3 when a prerequisite cannot be installed.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
APT_PACKAGES=(libgomp1 libomp-dev libopenblas-pthread-dev pkg-config zlib1g-dev python3)
# The stack shapes' consumer libraries: gcc -fopenmp, and patchelf to rename a SONAME as auditwheel does.
APT_PACKAGES+=(gcc patchelf)

log() { printf 'provision: %s\n' "$*" >&2; }
die() { printf 'provision: ERROR: %s\n' "$*" >&2; exit 3; }

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
if command -v dpkg-query >/dev/null; then
    missing=()
    for p in "${APT_PACKAGES[@]}"; do installed "$p" || missing+=("$p"); done
    python3 -m pip --version >/dev/null 2>&1 || missing+=(python3-pip)
    if ((${#missing[@]})); then
        [[ $(id -u) == 0 ]] || die "installing ${missing[*]} needs root (run with sudo), or install them by hand first"
        log "apt-get install ${missing[*]}"
        apt-get update -qq >&2 || die "apt-get update failed"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 \
            || die "apt-get install ${missing[*]} failed"
    fi
fi

# Wine and mingw for the Windows platform: optional, so a failure is said and the rest goes on.
WINE_PACKAGES=(wine64 gcc-mingw-w64-x86-64)
if [[ ${OMP_CONFORMANCE_SKIP_WINE:-} == 1 ]]; then
    log "skipping wine64 and mingw-w64: OMP_CONFORMANCE_SKIP_WINE=1 (the Windows platform will say so)"
elif command -v dpkg-query >/dev/null && command -v apt-get >/dev/null; then
    wine_missing=()
    for p in "${WINE_PACKAGES[@]}"; do installed "$p" || wine_missing+=("$p"); done
    if ((${#wine_missing[@]})); then
        if [[ $(id -u) != 0 ]]; then
            log "skipping ${wine_missing[*]}: installing them needs root; the Windows platform will be skipped"
        else
            log "apt-get install ${wine_missing[*]} (the Windows platform: real DLLs under Wine)"
            wine_install() {
                DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
                    "${wine_missing[@]}" >&2
            }
            # apt-get update only when the install fails (the lists may be stale on a fresh machine).
            wine_install || { apt-get update -qq >&2 && wine_install; } \
                || log "apt-get install ${wine_missing[*]} failed; the Windows platform will be skipped"
        fi
    fi
else
    log "skipping wine64 and mingw-w64: no apt on this host; the Windows platform will be skipped"
fi

# The provisioner is part of omp-matrix; the debug build is the one the tests share.
cd "$ROOT"
bin=${OMP_MATRIX:-}
if [[ -z $bin ]]; then
    swift build --product omp-matrix >&2 || die "swift build --product omp-matrix failed"
    bin="$ROOT/.build/debug/omp-matrix"
fi
exec "$bin" provision "$@"
