#!/usr/bin/env bash
# Compiles AND links the C shim (Sources/_OpenMPShims) for aarch64-macos and x86_64-macos
# with zig's C compiler, on Linux. Swift for macOS cannot be built here; the shim's Darwin
# branches (libproc, dyld, kqueue, sys_signame, sysctl) can, against the macOS libc headers
# and libSystem stubs that zig carries.
#
# For each target: the object with -Wall -Wextra -Werror, a dylib (-shared), and an
# executable that calls every shim function (Scripts/macos-shim/link-check.c), so that each
# Darwin symbol must resolve. Then it checks that the Darwin branches were compiled (their
# symbols are referenced) and that the outputs are Mach-O for the right CPU.
#
# Exit 0: both targets build. 1: a target does not. 77: zig's compiler is not available and
# cannot be installed (pip install ziglang).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shim=${OMP_SHIM_DIR:-"$root/Sources/_OpenMPShims"}
zig_version=${OMP_ZIG_VERSION:-0.17.1}
py=${PYTHON:-python3}

# zig comes from PyPI's ziglang wheel. When this Python does not have it, it is installed
# with --target into the kit's cache (no system site-packages touched, which Debian's pip
# refuses anyway), and found there through PYTHONPATH.
tools="${OMP_CONFORMANCE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/openmp-conformance}/tools/ziglang-$zig_version"
if ! "$py" -m ziglang version >/dev/null 2>&1; then
    export PYTHONPATH="$tools${PYTHONPATH:+:$PYTHONPATH}"
fi
if ! "$py" -m ziglang version >/dev/null 2>&1; then
    if ! "$py" -m pip --version >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-pip >&2 || true
    fi
    echo "== installing zig's C compiler (ziglang==$zig_version from PyPI, into $tools)"
    if ! "$py" -m pip install --quiet --disable-pip-version-check --target "$tools" "ziglang==$zig_version" >&2 \
        || ! "$py" -m ziglang version >/dev/null 2>&1; then
        echo "check-macos-shim: zig is not installed and pip could not install ziglang==$zig_version" >&2
        exit 77
    fi
fi
out=${OMP_SHIM_CHECK_DIR:-"$root/.build/macos-shim"}
mkdir -p "$out"
zigcc() { "$py" -m ziglang cc "$@"; }

# The Darwin calls the shim must reference once its __APPLE__ branches are compiled.
darwin_symbols=(proc_listallpids proc_pidinfo proc_listchildpids killpg getsid _dyld_image_count
                _dyld_get_image_name _dyld_get_image_header kqueue kevent sysctlbyname sys_signame posix_spawn)

magic() { od -An -tx1 -N8 "$1" | tr -d ' \n'; }
failed=0
for target in aarch64-macos x86_64-macos; do
    case $target in
        aarch64-macos) want=cffaedfe0c000001 ;; # MH_MAGIC_64, CPU_TYPE_ARM64
        x86_64-macos) want=cffaedfe07000001 ;;  # MH_MAGIC_64, CPU_TYPE_X86_64
    esac
    flags=(-target "$target" -std=c11 -Wall -Wextra -Werror -I "$shim/include")
    obj="$out/shims-$target.o" dylib="$out/lib_OpenMPShims-$target.dylib" exe="$out/link-check-$target"
    if ! zigcc "${flags[@]}" -c "$shim/shims.c" -o "$obj" \
        || ! zigcc "${flags[@]}" -shared "$shim/shims.c" -o "$dylib" \
        || ! zigcc "${flags[@]}" "$shim/shims.c" "$root/Scripts/macos-shim/link-check.c" -o "$exe"; then
        echo "FAIL $target: the shim does not compile or link" >&2
        failed=1
        continue
    fi
    missing=()
    for s in "${darwin_symbols[@]}"; do
        grep -aq "_$s" "$obj" || missing+=("$s")
    done
    if ((${#missing[@]})); then
        echo "FAIL $target: the Darwin branches were not compiled (no reference to: ${missing[*]})" >&2
        failed=1
        continue
    fi
    for f in "$obj" "$dylib" "$exe"; do
        got=$(magic "$f")
        if [[ $got != "$want" ]]; then
            echo "FAIL $target: $(basename "$f") is not a 64-bit Mach-O for $target (header $got, want $want)" >&2
            failed=1
        fi
    done
    echo "ok $target: object, dylib and linked executable; ${#darwin_symbols[@]} Darwin symbols resolved"
done
exit $failed
