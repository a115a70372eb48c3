#!/usr/bin/env bash
# Provisions the OpenMP runtimes the conformance matrix measures and writes
# runtimes/manifest.json (at the repository root, or in $OMP_CONFORMANCE_RUNTIMES).
#
#   gnu          GNU libgomp            system file, Debian libgomp1
#   llvm14       LLVM libomp 14         system file, Debian libomp5-14 (via libomp-dev)
#   llvm16       LLVM libomp 16         apt-get download of a pinned libomp5-16, unpacked with dpkg -x
#   intel        Intel libiomp5         lib/libiomp5.so from the pinned intel-openmp wheel (the rest is discarded)
#   llvm14-copy  LLVM libomp 14 again   a real copy with its own inode, as wheels vendor theirs
#
# It also keeps the pinned faiss-cpu wheel in runtimes/wheels/ and records which runtime it vendors.
#
# Idempotent: every finished step leaves a stamp file, written last and atomically, so an
# interrupted run never leaves something that looks done; a second run only re-checks.
# Network: Debian's apt mirror and PyPI, and only for what is missing.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RT=${OMP_CONFORMANCE_RUNTIMES:-$ROOT/runtimes}

LLVM16_PACKAGE=libomp5-16
LLVM16_VERSION='1:16.0.6-15~deb12u1'
INTEL_VERSION=2025.2.1
INTEL_WHEEL=intel_openmp-2025.2.1-py2.py3-none-manylinux_2_28_x86_64.whl
INTEL_WHEEL_SHA256=4656e8e864998db776dbb6d045067f75c227f78c72943e07e15b0d1d65ff45c2
INTEL_MEMBER=intel_openmp-2025.2.1.data/data/lib/libiomp5.so
FAISS_VERSION=1.15.1
FAISS_WHEEL=faiss_cpu-1.15.1-cp310-abi3-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl
FAISS_WHEEL_SHA256=f2c31b7f2f6647eb76829a5cfe3c398fb9346df9f26b1d4db35269c91eb58c33
WHEEL_PLATFORM=(--only-binary=:all: --platform manylinux_2_28_x86_64 --python-version 3.11 --implementation cp)
APT_PACKAGES=(libgomp1 libomp-dev libopenblas-pthread-dev pkg-config python3)
GNU_PATH=/usr/lib/x86_64-linux-gnu/libgomp.so.1
LLVM14_PATH=/usr/lib/llvm-14/lib/libomp.so.5

log() { printf 'provision: %s\n' "$*" >&2; }
die() { printf 'provision: ERROR: %s\n' "$*" >&2; exit 1; }

[[ $(uname -m) == x86_64 ]] || die "the pinned runtimes are x86_64 builds; this machine is $(uname -m)"

APT_UPDATED=0
apt_update_once() {
    if [[ $APT_UPDATED == 0 ]]; then
        log "apt-get update"
        apt-get update -qq >&2 || die "apt-get update failed"
        APT_UPDATED=1
    fi
}
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
need_root() { [[ $(id -u) == 0 ]] || die "$1 needs root (run with sudo), or install it by hand first"; }

# 1. System packages (only when one is missing).
missing=()
for p in "${APT_PACKAGES[@]}"; do installed "$p" || missing+=("$p"); done
if ((${#missing[@]})); then
    need_root "installing ${missing[*]}"
    apt_update_once
    log "apt-get install ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 \
        || die "apt-get install ${missing[*]} failed"
fi
[[ -f $GNU_PATH ]] || die "$GNU_PATH is missing after installing libgomp1"
[[ -f $LLVM14_PATH ]] || die "$LLVM14_PATH is missing after installing libomp-dev"

mkdir -p "$RT"
TMP=$(mktemp -d "$RT/.tmp.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
chmod 0755 "$TMP"   # apt-get download drops to the _apt user when it can

# Reads ELF files (without loading them) and prints what they are, by the same rules as the
# Swift library: family from defined dynamic symbols, vendor and version from the banner.
PYELF=$(cat <<'PY'
import json, re, struct, sys, zipfile

def classify(data):
    if data[:4] != b"\x7fELF":
        return None
    is64, end = data[4] == 2, "<" if data[5] == 1 else ">"
    u16 = lambda o: struct.unpack_from(end + "H", data, o)[0]
    u32 = lambda o: struct.unpack_from(end + "I", data, o)[0]
    word = (lambda o: struct.unpack_from(end + "Q", data, o)[0]) if is64 else u32
    shoff, shentsize, shnum = word(40 if is64 else 32), u16(58 if is64 else 46), u16(60 if is64 else 48)
    secs = []
    for i in range(shnum):
        o = shoff + i * shentsize
        if is64:
            secs.append(dict(type=u32(o + 4), off=word(o + 24), size=word(o + 32), link=u32(o + 40), info=u32(o + 44), ent=word(o + 56)))
        else:
            secs.append(dict(type=u32(o + 4), off=word(o + 16), size=word(o + 20), link=u32(o + 24), info=u32(o + 28), ent=word(o + 36)))
    def cstr(off):
        return data[off:data.index(b"\0", off)].decode("utf-8", "replace")
    defined, verdefs = set(), []
    for s in secs:
        if s["type"] == 11:  # SHT_DYNSYM
            st = secs[s["link"]]["off"]
            ent = s["ent"] or (24 if is64 else 16)
            for i in range(s["size"] // ent):
                o = s["off"] + i * ent
                if is64:
                    name, info, other, shndx = u32(o), data[o + 4], data[o + 5], u16(o + 6)
                else:
                    name, info, other, shndx = u32(o), data[o + 12], data[o + 13], u16(o + 14)
                if shndx != 0 and (info >> 4) in (1, 2, 10) and (other & 3) in (0, 3) and name:
                    n = cstr(st + name)
                    if n in ("__kmpc_fork_call", "GOMP_parallel"):
                        defined.add(n)
        if s["type"] == 0x6FFFFFFD:  # SHT_GNU_verdef
            st, o = secs[s["link"]]["off"], s["off"]
            for _ in range(s["info"]):
                flags, aux, nxt = u16(o + 2), u32(o + 12), u32(o + 16)
                if not flags & 1:
                    verdefs.append(cstr(st + u32(o + aux)))
                if not nxt:
                    break
                o += nxt
    if "__kmpc_fork_call" in defined:
        family = "kmp"
    elif "GOMP_parallel" in defined:
        family = "gnu"
    else:
        return None
    banner = [m.decode("utf-8", "replace").strip() for m in re.findall(rb"@\(#\) ([^\x00]{1,400})", data)]
    def after(key):
        for line in banner:
            if key in line:
                v = line.split(key, 1)[1].strip()
                if v:
                    return v
    libver, compiler = after("OMP version: "), after("OMP build compiler: ")
    if family == "gnu":
        vendor = "gnu"
        nodes = [(tuple(int(x) for x in v[5:].split(".")), v) for v in verdefs if re.fullmatch(r"GOMP_\d+(\.\d+)*", v)]
        version = max(nodes)[1] if nodes else "unknown"
    elif any(l.startswith(("Intel(R) OMP", "Intel(R) OpenMP")) for l in banner):
        vendor, version = "intel", libver or "unknown"
    elif any(l.startswith("LLVM OMP") for l in banner):
        vendor = "llvm"
        if compiler and compiler.startswith("Clang "):
            version = compiler[6:].split(" ")[0]
        else:
            version = libver or "unknown"
    else:
        vendor, version = "unknown", libver or "unknown"
    return dict(family=family, vendor=vendor, version=version)

cmd = sys.argv[1]
if cmd == "file":
    with open(sys.argv[2], "rb") as f:
        print(json.dumps(classify(f.read())))
elif cmd == "extract":          # extract WHEEL MEMBER DEST
    with zipfile.ZipFile(sys.argv[2]) as z, z.open(sys.argv[3]) as src, open(sys.argv[4], "wb") as dst:
        while chunk := src.read(1 << 20):
            dst.write(chunk)
elif cmd == "manifest":         # manifest ENTRIES.tsv OUT WHEEL WHEEL-PATH WHEEL-SOURCE WHEEL-SHA256
    import hashlib
    entries, out, wheel, wheel_path, wheel_source, wheel_sha = sys.argv[2:8]
    runtimes = []
    for line in open(entries):
        name, path, file, source = line.rstrip("\n").split("\t")
        with open(file, "rb") as f:
            data = f.read()
        c = classify(data)
        if not c:
            sys.exit(f"provision: ERROR: {file} ({name}) is not an OpenMP runtime by its symbols")
        runtimes.append(dict(name=name, path=path, family=c["family"], version=c["version"], source=source,
                             sha256=hashlib.sha256(data).hexdigest()))
    vendors = []
    with zipfile.ZipFile(wheel) as z:   # the OpenMP runtimes among the wheel's shared libraries
        for m in z.infolist():
            base = m.filename.rsplit("/", 1)[-1]
            if base.endswith(".so") or ".so." in base:
                data = z.read(m)
                c = classify(data)
                if c:
                    c.update(member=m.filename, sha256=hashlib.sha256(data).hexdigest())
                    vendors.append(c)
    manifest = dict(schemaVersion=1, runtimes=runtimes,
                    wheels=[dict(name="faiss-cpu", path=wheel_path, source=wheel_source, sha256=wheel_sha, vendors=vendors)])
    with open(out, "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    print("runtimes:")
    for r in runtimes:
        print(f"  {r['name']:<12} {r['family']:<4} {r['version']:<13} {r['sha256'][:12]}  {r['path']}  ({r['source']})")
    v = ", ".join(f"{x['vendor']} {x['family']} {x['version']} ({x['member']})" for x in vendors) or "no OpenMP runtime"
    print(f"wheel faiss-cpu ({wheel_source}) vendors: {v}")
PY
)
elf_info() { python3 -c "$PYELF" file "$1"; }
field() { python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(d[sys.argv[2]] if d else "")' "$1" "$2"; }
sha() { sha256sum "$1" | cut -d' ' -f1; }
# A stamp records what a step produced; it is written last, by rename.
stamp_ok() { [[ -f $1 && $(cat "$1") == "$2" ]]; }
write_stamp() { printf '%s' "$2" >"$TMP/stamp" && mv -f "$TMP/stamp" "$1"; }

pip_download() { # pip_download NAME VERSION SHA256 DEST_DIR
    if ! python3 -m pip --version >/dev/null 2>&1; then
        need_root "installing python3-pip"
        apt_update_once
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-pip >&2 \
            || die "apt-get install python3-pip failed"
    fi
    printf '%s==%s --hash=sha256:%s\n' "$1" "$2" "$3" >"$TMP/req.txt"
    python3 -m pip download --quiet --disable-pip-version-check --no-deps --require-hashes \
        "${WHEEL_PLATFORM[@]}" -r "$TMP/req.txt" -d "$4" >&2 \
        || die "pip download $1==$2 failed (PyPI unreachable, or the file's sha256 no longer matches the pin)"
}

# 2. LLVM 16, from Debian's archive, unpacked (not installed).
L16_LIB=$RT/llvm16/usr/lib/llvm-16/lib/libomp.so.5
if stamp_ok "$RT/llvm16/.provisioned" "$LLVM16_PACKAGE=$LLVM16_VERSION" && [[ -f $L16_LIB ]]; then
    log "llvm16: present"
else
    log "llvm16: apt-get download $LLVM16_PACKAGE=$LLVM16_VERSION"
    apt-cache show "$LLVM16_PACKAGE=$LLVM16_VERSION" >/dev/null 2>&1 || { need_root "apt-get update"; apt_update_once; }
    mkdir -p "$TMP/deb"
    chmod 0777 "$TMP/deb"
    (cd "$TMP/deb" && apt-get download -qq "$LLVM16_PACKAGE=$LLVM16_VERSION" >&2) \
        || die "apt-get download $LLVM16_PACKAGE=$LLVM16_VERSION failed (is that version still in the archive?)"
    dpkg -x "$TMP"/deb/*.deb "$TMP/llvm16"
    [[ -f $TMP/llvm16/usr/lib/llvm-16/lib/libomp.so.5 ]] || die "the $LLVM16_PACKAGE package has no usr/lib/llvm-16/lib/libomp.so.5"
    rm -rf "$RT/llvm16"
    mv "$TMP/llvm16" "$RT/llvm16"
    write_stamp "$RT/llvm16/.provisioned" "$LLVM16_PACKAGE=$LLVM16_VERSION"
fi

# 3. Intel, the one library from the intel-openmp wheel.
INTEL_LIB=$RT/intel/libiomp5.so
if stamp_ok "$RT/intel/.provisioned" "intel-openmp==$INTEL_VERSION $INTEL_WHEEL_SHA256" && [[ -f $INTEL_LIB ]]; then
    log "intel: present"
else
    log "intel: pip download intel-openmp==$INTEL_VERSION (about 73 MB; only lib/libiomp5.so is kept)"
    pip_download intel-openmp "$INTEL_VERSION" "$INTEL_WHEEL_SHA256" "$TMP/wheel"
    [[ -f $TMP/wheel/$INTEL_WHEEL ]] || die "pip saved $(ls "$TMP/wheel"), expected $INTEL_WHEEL"
    mkdir -p "$TMP/intel"
    python3 -c "$PYELF" extract "$TMP/wheel/$INTEL_WHEEL" "$INTEL_MEMBER" "$TMP/intel/libiomp5.so"
    rm -rf "$TMP/wheel"
    info=$(elf_info "$TMP/intel/libiomp5.so")
    [[ $(field "$info" vendor) == intel ]] \
        || die "$INTEL_MEMBER from $INTEL_WHEEL does not carry Intel's banner (read: $info); refusing to call it intel"
    rm -rf "$RT/intel"
    mv "$TMP/intel" "$RT/intel"
    write_stamp "$RT/intel/.provisioned" "intel-openmp==$INTEL_VERSION $INTEL_WHEEL_SHA256"
fi

# 4. A vendored copy of LLVM 14: same bytes, its own inode.
COPY=$RT/vendored/libomp.so.5
if [[ -f $COPY ]] && cmp -s "$COPY" "$LLVM14_PATH"; then
    log "llvm14-copy: present"
else
    log "llvm14-copy: copying $LLVM14_PATH"
    mkdir -p "$RT/vendored"
    cp "$LLVM14_PATH" "$TMP/libomp.so.5"
    mv -f "$TMP/libomp.so.5" "$COPY"
fi
[[ $(stat -Lc '%d:%i' "$COPY") != $(stat -Lc '%d:%i' "$LLVM14_PATH") ]] || die "$COPY is the same inode as $LLVM14_PATH, not a copy"

# 5. The faiss-cpu wheel, kept whole, for the static "which runtime does FAISS vendor" claim.
FAISS=$RT/wheels/$FAISS_WHEEL
if [[ -f $FAISS ]] && [[ $(sha "$FAISS") == "$FAISS_WHEEL_SHA256" ]]; then
    log "faiss-cpu wheel: present"
else
    log "faiss-cpu wheel: pip download faiss-cpu==$FAISS_VERSION"
    pip_download faiss-cpu "$FAISS_VERSION" "$FAISS_WHEEL_SHA256" "$TMP/faiss"
    [[ -f $TMP/faiss/$FAISS_WHEEL ]] || die "pip saved $(ls "$TMP/faiss"), expected $FAISS_WHEEL"
    mkdir -p "$RT/wheels"
    mv -f "$TMP/faiss/$FAISS_WHEEL" "$FAISS"
fi

# 6. The manifest: one Python run classifies every runtime (same rules as the Swift library),
# hashes it, lists what the faiss-cpu wheel vendors, and prints the summary.
dpkg_version() { dpkg-query -W -f='${Version}' "$1"; }
owner() { { dpkg-query -S "$(readlink -f "$1")" 2>/dev/null || true; } | cut -d: -f1 | head -1; }
LLVM14_PKG=$(owner "$LLVM14_PATH"); LLVM14_PKG=${LLVM14_PKG:-libomp5-14}
GNU_PKG=$(owner "$GNU_PATH"); GNU_PKG=${GNU_PKG:-libgomp1}
LLVM14_SOURCE="apt:$LLVM14_PKG=$(dpkg_version "$LLVM14_PKG")"
{
    printf '%s\t%s\t%s\t%s\n' gnu "$GNU_PATH" "$GNU_PATH" "apt:$GNU_PKG=$(dpkg_version "$GNU_PKG")"
    printf '%s\t%s\t%s\t%s\n' llvm14 "$LLVM14_PATH" "$LLVM14_PATH" "$LLVM14_SOURCE"
    printf '%s\t%s\t%s\t%s\n' llvm16 llvm16/usr/lib/llvm-16/lib/libomp.so.5 "$L16_LIB" "apt:$LLVM16_PACKAGE=$LLVM16_VERSION"
    printf '%s\t%s\t%s\t%s\n' intel intel/libiomp5.so "$INTEL_LIB" "pypi:intel-openmp==$INTEL_VERSION"
    printf '%s\t%s\t%s\t%s\n' llvm14-copy vendored/libomp.so.5 "$COPY" "copy:$LLVM14_PATH ($LLVM14_SOURCE)"
} >"$TMP/entries.tsv"
python3 -c "$PYELF" manifest "$TMP/entries.tsv" "$TMP/manifest.json" "$FAISS" "wheels/$FAISS_WHEEL" \
    "pypi:faiss-cpu==$FAISS_VERSION" "$FAISS_WHEEL_SHA256" || die "writing the manifest failed"
if cmp -s "$TMP/manifest.json" "$RT/manifest.json"; then
    log "manifest: unchanged"
else
    mv -f "$TMP/manifest.json" "$RT/manifest.json"
    log "manifest: written"
fi
log "done: $RT/manifest.json"
