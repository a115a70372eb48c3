#!/usr/bin/env bash
# Puts the Windows DLLs the PE reader's tests read into pe-fixtures/ of the runtime cache:
# the intel-openmp 2026.2.0 and msvc-runtime 14.51.36231 win_amd64 wheels (pinned by SHA-256,
# fetched with pip, never installed) and libiomp5md.dll, vcomp140.dll and msvcp140_1.dll read
# out of them. A rerun with the files present downloads nothing.
set -euo pipefail
runtimes=${OMP_CONFORMANCE_RUNTIMES:-${OMP_CONFORMANCE_CACHE:+$OMP_CONFORMANCE_CACHE/runtimes}}
runtimes=${runtimes:-${XDG_CACHE_HOME:-$HOME/.cache}/openmp-conformance/runtimes}
dest=${OMP_CONFORMANCE_PE_FIXTURES:-$runtimes/pe-fixtures}
mkdir -p "$dest/wheels"
python3 - "$dest" <<'PY'
import hashlib, os, subprocess, sys, zipfile
dest = sys.argv[1]
wheels = {
    "intel_openmp-2026.2.0-py2.py3-none-win_amd64.whl":
        ("intel-openmp==2026.2.0", "0fcd60701d6dcf8f17cd40c9733d7046ff3b82921a0a039bea2e6a68fb12c152",
         {"libiomp5md.dll": "intel_openmp-2026.2.0.data/data/Library/bin/libiomp5md.dll"}),
    "msvc_runtime-14.51.36231-cp312-cp312-win_amd64.whl":
        ("msvc-runtime==14.51.36231", "89f70d1a37bb64164cdb09d02dd82d6b1400e1310be2995b4ed5a9f23efe2222",
         {"vcomp140.dll": "msvc_runtime-14.51.36231.data/data/vcomp140.dll",
          "msvcp140_1.dll": "msvc_runtime-14.51.36231.data/data/msvcp140_1.dll"}),
}
def sha(p):
    h = hashlib.sha256()
    with open(p, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""): h.update(chunk)
    return h.hexdigest()
for name, (req, digest, members) in wheels.items():
    path = os.path.join(dest, "wheels", name)
    if not (os.path.exists(path) and sha(path) == digest):
        print(f"provision-pe-fixtures: pip download {req} into {dest}/wheels", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                        "--platform", "win_amd64", "--python-version", "3.12", req, "-d", os.path.join(dest, "wheels")], check=True)
    if sha(path) != digest:
        sys.exit(f"{path}: SHA-256 {sha(path)} is not the pinned {digest}")
    with zipfile.ZipFile(path) as z:
        for out, member in members.items():
            if os.path.exists(os.path.join(dest, out)) and hashlib.sha256(z.read(member)).hexdigest() == sha(os.path.join(dest, out)): continue
            tmp = os.path.join(dest, out + ".part")
            with open(tmp, "wb") as f: f.write(z.read(member))
            os.replace(tmp, os.path.join(dest, out))
PY
