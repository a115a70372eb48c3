#!/usr/bin/env bash
# Coverage-guided fuzzing of the kit's readers of untrusted input (libFuzzer + AddressSanitizer).
#
#   bash Scripts/fuzz.sh TARGET SECONDS      TARGET: elf, macho, pe, zip, json, yaml, or all
#
# Builds the Fuzz/ package (not part of the normal build) into .build-fuzz with
# -sanitize=fuzzer,address, makes a seed corpus from real files (the provisioned runtimes and
# wheels, small system libraries, the matrix YAML and results JSON) under .build-fuzz/corpus,
# and runs the target for SECONDS. Crashing inputs land in .build-fuzz/crashes/TARGET/.
# Exit status: 0 when no crash was found, 1 when one was (libFuzzer's report is printed).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
target=${1:?usage: fuzz.sh TARGET SECONDS}
seconds=${2:?usage: fuzz.sh TARGET SECONDS}
if [[ $target == all ]]; then
  status=0
  for t in elf macho pe zip json yaml; do bash "$0" "$t" "$seconds" || status=1; done
  exit $status
fi
case $target in elf|macho|pe|zip|json|yaml) ;; *) echo "unknown target '$target' (elf, macho, pe, zip, json, yaml, all)" >&2; exit 2;; esac

runtimes=${OMP_CONFORMANCE_RUNTIMES:-${OMP_CONFORMANCE_CACHE:+$OMP_CONFORMANCE_CACHE/runtimes}}
runtimes=${runtimes:-${XDG_CACHE_HOME:-$HOME/.cache}/openmp-conformance/runtimes}
[[ -f $runtimes/manifest.json ]] || runtimes=$root/runtimes

scratch=$root/.build-fuzz
# SwiftPM does not notice files added to or removed from a path dependency (the kit itself):
# drop the cached build plan so that it is made again from the current sources.
rm -f "$scratch"/debug.yaml "$scratch"/*/debug/description.json
(cd Fuzz && swift build --scratch-path "$scratch" -Xswiftc -sanitize=fuzzer,address --product "fuzz-$target" >&2)
exe=$scratch/debug/fuzz-$target

corpus=$scratch/corpus/$target
crashes=$scratch/crashes/$target
mkdir -p "$corpus" "$crashes"
seed() { local f=$1 name; name=$(basename "$f"); [[ -f $f ]] && cp -f "$f" "$corpus/seed-$name" || true; }
runtime_files() { find "$runtimes" -type f \( -name '*.so*' -o -name '*.dylib' \) 2>/dev/null; }
# Wheels in the cache whose every member has its local header: a wheel that the catalog builder read in part
# by range requests (only its directory and library members are on disk) is no seed, and is left out.
wheels() {
  find "$runtimes" -type f -name '*.whl' 2>/dev/null | python3 -c '
import sys, zipfile
for w in sys.stdin.read().split("\n"):
    if not w: continue
    try:
        with zipfile.ZipFile(w) as z:
            for i in z.infolist():
                with z.open(i): pass
        print(w)
    except Exception as e:
        print(f"fuzz: {w} is not read whole ({e}); not a seed", file=sys.stderr)
'
}
case $target in
  elf)
    while read -r f; do seed "$f"; done < <(runtime_files | grep -v dylib)
    for f in /usr/lib/x86_64-linux-gnu/{libdl.so.2,libutil.so.1,librt.so.1,libgomp.so.1,libpthread.so.0} /usr/lib/llvm-14/lib/libomp.so.5; do seed "$f"; done
    ;;
  macho)
    # Mach-O runtimes and libraries out of the macOS wheels, when provisioned.
    while read -r w; do
      python3 - "$w" "$corpus" <<'PY'
import sys, zipfile, os
w, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(w) as z:
    for i in z.infolist():
        if i.filename.endswith('.dylib') and i.file_size <= 8 << 20:
            open(os.path.join(out, 'seed-' + os.path.basename(i.filename)), 'wb').write(z.read(i))
PY
    done < <(wheels | grep -i macosx || true)
    while read -r f; do seed "$f"; done < <(runtime_files | grep dylib || true)
    if [[ -z $(ls "$corpus") ]]; then
      # No macOS wheel here: a minimal thin dylib and a fat file, from the test builder's layout.
      python3 - "$corpus" <<'PY'
import struct, sys, os
out = sys.argv[1]
name = b'libomp.dylib\0\0\0\0'
strtab = b'\0___kmpc_fork_call\0_omp_get_num_threads\0'
trie = bytes([0, 1]) + b'_\0' + bytes([5]) + bytes([0, 2]) + b'_kmpc_fork_call\0' + bytes([40]) + b'omp_get_num_threads\0' + bytes([44]) + bytes([3, 0, 0x80, 0x20, 0]) + bytes([3, 0, 0x90, 0x20, 0])
idcmd = struct.pack('<IIIIII', 0xd, 24 + len(name), 24, 0, 0x10000, 0x10000) + name
ncmds, sizeofcmds = 3, len(idcmd) + 24 + 16
symoff = 32 + sizeofcmds
nlist = struct.pack('<IBBHQ', 1, 0x0f, 1, 0, 0x1000) + struct.pack('<IBBHQ', 19, 0x0f, 1, 0, 0x1010)
stroff = symoff + len(nlist)
trieoff = stroff + len(strtab)
body = struct.pack('<IIIIIIII', 0xfeedfacf, 0x0100000c, 0, 6, ncmds, sizeofcmds, 0, 0) + idcmd
body += struct.pack('<IIIIII', 2, 24, symoff, 2, stroff, len(strtab)) + struct.pack('<IIII', 0x80000033, 16, trieoff, len(trie))
body += nlist + strtab + trie + b'@(#) LLVM OMP version: 5.0.20140926\0'
open(os.path.join(out, 'seed-thin.dylib'), 'wb').write(body)
fat = struct.pack('>II', 0xcafebabe, 1) + struct.pack('>IIIII', 0x0100000c, 0, 4096, len(body), 12)
open(os.path.join(out, 'seed-fat.dylib'), 'wb').write(fat + bytes(4096 - len(fat)) + body)
PY
    fi
    ;;
  pe)
    # Windows DLLs: the PE test fixtures (Scripts/provision-pe-fixtures.sh) and any DLL in the cache
    # that fits the length limit whole; larger ones (libiomp5md.dll) are cut to their headers and
    # tables' first part, which still seeds every header path.
    while read -r f; do
      if (( $(stat -c %s "$f") <= ${FUZZ_MAX_LEN:-262144} )); then seed "$f"
      else head -c "${FUZZ_MAX_LEN:-262144}" "$f" > "$corpus/seed-head-$(basename "$f")"; fi
    done < <(find "$runtimes" -type f -iname '*.dll' 2>/dev/null | head -40)
    ;;
  zip)
    # Small wheels made of real wheel members: the small files, and the head of each library.
    while read -r w; do
      python3 - "$w" "$corpus" <<'PY'
import sys, zipfile, os
w, out = sys.argv[1], sys.argv[2]
base = os.path.basename(w)[:40]
with zipfile.ZipFile(w) as z:
    small = [i for i in z.infolist() if 0 < i.file_size <= 16384][:8]
    libs = [i for i in z.infolist() if '.so' in i.filename or i.filename.endswith('.dylib')][:2]
    for n, method in enumerate([zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED]):
        with zipfile.ZipFile(os.path.join(out, f'seed-{base}-{n}.whl'), 'w', method) as o:
            for i in small: o.writestr(i.filename, z.read(i.filename))
            for i in libs:
                with z.open(i) as f: o.writestr(i.filename, f.read(32768))
PY
    done < <(wheels)
    # A Zip64 archive (Zip64 extra fields and end record), so that the Zip64 paths are seeded too:
    # zipfile writes them only past its limits, which are lowered to zero for this one file.
    python3 - "$corpus" <<'PY'
import sys, zipfile, os
zipfile.ZIP64_LIMIT = 0
zipfile.ZIP_FILECOUNT_LIMIT = 0
with zipfile.ZipFile(os.path.join(sys.argv[1], 'seed-zip64.whl'), 'w', zipfile.ZIP_DEFLATED) as o:
    for name, data in [('lib/libx.so', b'\x7fELF' + bytes(4096)), ('pkg/__init__.py', b'')]:
        with o.open(name, 'w', force_zip64=True) as f: f.write(data)
PY
    ;;
  json)
    for f in Matrices/baselines/*.json Sources/OpenMPConformance/Resources/results.schema.json; do seed "$f"; done
    ;;
  yaml)
    for f in Matrices/*.yaml; do seed "$f"; done
    ;;
esac

echo "== fuzz-$target for ${seconds}s, corpus $(ls "$corpus" | wc -l) files" >&2
log=$scratch/fuzz-$target.log
set +e
"$exe" "$corpus" -max_total_time="$seconds" -max_len="${FUZZ_MAX_LEN:-262144}" -rss_limit_mb=4096 -timeout=10 \
  -artifact_prefix="$crashes/" -print_final_stats=1 ${FUZZ_FLAGS:-} 2>&1 | tee "$log" | grep -E '^(#[0-9]+ +(INITED|DONE)|==|SUMMARY|stat::number_of_executed_units|stat::average_exec_per_sec|artifact_prefix|Test unit written)' >&2
status=${PIPESTATUS[0]}
set -e
execs=$(grep -m1 'stat::number_of_executed_units' "$log" | awk '{print $2}')
echo "== fuzz-$target: ${execs:-?} executions, exit $status$( ((status != 0)) && echo ", crash input in $crashes/")" >&2
exit $((status == 0 ? 0 : 1))
