"""Side-by-side bench: our native kernels (omp-kernel-bench) against faiss-cpu and numpy.

1. Flat inner-product search: faiss.IndexFlatIP vs OMPProbeCore's FlatIndex on the same
   float32 data (written here as raw little-endian files under .bench/), same k, the same
   2 threads; the top-k ids are compared exactly. A bare OpenBLAS sgemm of the whole score
   matrix (one call, 2 OpenBLAS threads) is timed as the bound.
2. One training step (Linear d x d + bias, MSE, Adam) at batch 8 and 256: numpy vs our
   native step (same maths as Sources/OMPProbeCore/TrainingLoop.swift).

Run through Bench/run-kernel-bench.sh (which builds the release binary and makes the venv).
Not part of CI.
"""
import argparse
import ctypes
import glob
import os
import platform
import subprocess
import sys
import time

# The Python side's thread counts, fixed before numpy and faiss load their libraries:
# faiss runs its search on 2 OpenMP threads (and its bundled OpenBLAS on up to 2);
# numpy's bundled OpenBLAS gets 2 threads (numpy's element-wise work is single-threaded).
PY_THREADS = 2
os.environ["OMP_NUM_THREADS"] = str(PY_THREADS)
os.environ["OPENBLAS_NUM_THREADS"] = str(PY_THREADS)

import numpy as np  # noqa: E402
import faiss  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, ".bench")


def stats(xs):
    s = sorted(xs)
    n = len(s)
    med = s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2
    return med, s[0], s[-1]


def cpu_per_wall(wall, cpu):
    return sum(cpu) / sum(wall) if sum(wall) > 0 else float("nan")


def numpy_blas():
    """Corename and thread count of numpy's bundled OpenBLAS (scipy-openblas, 64-bit ints)."""
    libs = glob.glob(os.path.join(os.path.dirname(np.__file__) + ".libs", "libscipy_openblas*.so"))
    if not libs:
        return "unknown", -1
    lib = ctypes.CDLL(libs[0])
    for suffix in ("64_", ""):
        try:
            f = getattr(lib, "scipy_openblas_get_corename" + suffix)
            f.restype = ctypes.c_char_p
            t = getattr(lib, "scipy_openblas_get_num_threads" + suffix)
            return f().decode(), t()
        except AttributeError:
            continue
    return "unknown", -1


def faiss_blas():
    """faiss-cpu links OpenBLAS statically and exports no get_corename; its dispatch table
    pointer `gotoblas` is exported, so compare it with the per-kernel tables."""
    mods = [m for n, m in sys.modules.items() if n.startswith("faiss._swigfaiss") and hasattr(m, "__file__")]
    if not mods:
        return "unknown", "?"
    mod = mods[0]
    lib = ctypes.CDLL(mod.__file__)
    try:
        cur = ctypes.c_void_p.in_dll(lib, "gotoblas").value
    except ValueError:
        return "unknown", os.path.basename(mod.__file__)
    names = ["PRESCOTT", "ATOM", "CORE2", "PENRYN", "DUNNINGTON", "NEHALEM", "OPTERON", "OPTERON_SSE3",
             "BARCELONA", "BOBCAT", "SANDYBRIDGE", "BULLDOZER", "PILEDRIVER", "STEAMROLLER", "EXCAVATOR",
             "HASWELL", "ZEN", "SKYLAKEX", "COOPERLAKE", "SAPPHIRERAPIDS", "NANO", "KATMAI", "NORTHWOOD"]
    for n in names:
        try:
            if ctypes.addressof(ctypes.c_char.in_dll(lib, "gotoblas_" + n)) == cur:
                return n, os.path.basename(mod.__file__)
        except ValueError:
            pass
    return "unknown", os.path.basename(mod.__file__)


def run_native(binary, sub, env_extra, **kw):
    env = dict(os.environ)
    env.pop("OMP_NUM_THREADS", None)
    env.pop("OPENBLAS_NUM_THREADS", None)
    env.update(env_extra)
    cmd = [binary, sub]
    for k, v in kw.items():
        cmd += ["--" + k, str(v)]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({out.returncode}):\n{out.stderr}")
    res = {}
    for line in out.stdout.splitlines():
        key, _, val = line.partition(" ")
        res[key] = val
    return res


def floats(s):
    return [float(x) for x in s.split()]


def coretype_source(env_value, name):
    if env_value not in ("", "-"):
        return f"{name}: from OPENBLAS_CORETYPE={env_value} (environment)"
    return f"{name}: OpenBLAS's own pick"


# ---------------------------------------------------------------------------- search

def bench_search(a, binary):
    d, nb, nq, k = a.d, a.nb, a.nq, a.k
    rng = np.random.default_rng(a.seed)
    xb = rng.standard_normal((nb, d), dtype=np.float32)
    xq = rng.standard_normal((nq, d), dtype=np.float32)
    os.makedirs(DATA, exist_ok=True)
    fb, fq = os.path.join(DATA, "kb_xb.f32"), os.path.join(DATA, "kb_xq.f32")
    f_ids_ours, f_sc_ours = os.path.join(DATA, "kb_ids_ours.i32"), os.path.join(DATA, "kb_scores_ours.f32")
    f_ids_faiss = os.path.join(DATA, "kb_ids_faiss.i64")
    xb.astype("<f4").tofile(fb)
    xq.astype("<f4").tofile(fq)

    faiss.omp_set_num_threads(PY_THREADS)
    index = faiss.IndexFlatIP(d)
    index.add(xb)
    D, I = index.search(xq, k)  # warm-up
    fw, fc = [], []
    for _ in range(a.repeats):
        c0, t0 = time.process_time(), time.perf_counter()
        D, I = index.search(xq, k)
        t1, c1 = time.perf_counter(), time.process_time()
        fw.append(t1 - t0)
        fc.append(c1 - c0)
    I.astype("<i8").tofile(f_ids_faiss)
    faiss_kernel, faiss_lib = faiss_blas()

    # FlatIndex as the probe uses it (its own block sizes), then with the blocks given on the
    # command line (set through FlatIndex's public queryBlock/dbBlock; the code is the same).
    configs = [("ours, FlatIndex defaults", {})]
    if a.qblock or a.dblock:
        tuned = {}
        if a.qblock:
            tuned["qblock"] = a.qblock
        if a.dblock:
            tuned["dblock"] = a.dblock
        configs.append(("ours, blocks set", tuned))
    runs = []
    for label, extra in configs:
        ours = run_native(binary, "search", {"OMP_NUM_THREADS": "2", "OPENBLAS_NUM_THREADS": "1"},
                          runtime=a.runtime, data=fb, queries=fq, nb=nb, nq=nq, d=d, k=k,
                          ids=f_ids_ours, scores=f_sc_ours, repeats=a.repeats, **extra)
        ids = np.fromfile(f_ids_ours, dtype="<i4").reshape(nq, k).astype(np.int64)
        runs.append((label, ours, ids))

    bare = run_native(binary, "sgemm", {"OMP_NUM_THREADS": "2", "OPENBLAS_NUM_THREADS": "2"},
                      data=fb, queries=fq, nb=nb, nq=nq, d=d, threads=2, repeats=a.repeats)
    bw, bc = floats(bare["sgemm_wall"]), floats(bare["sgemm_cpu"])

    flops = 2.0 * nq * nb * d
    fm, fmin, fmax = stats(fw)
    bm, bmin, bmax = stats(bw)
    out = []
    out.append(f"== 1. Flat-IP search: d={d}, nb={nb}, nq={nq}, k={k}, seed={a.seed}, float32 N(0,1) data, "
               f"{a.repeats} timed runs each after 1 warm-up (median [min..max])")
    out.append(f"  {'side':<62} {'time per search':>30} {'queries/s':>10} {'GFLOP/s':>8} {'cpu/wall':>8}  threads; BLAS kernel")
    out.append(f"  {'faiss-cpu ' + faiss.__version__ + ' IndexFlatIP':<62} "
               f"{fm*1e3:8.1f} ms [{fmin*1e3:6.1f}..{fmax*1e3:6.1f}] {nq/fm:10.0f} {flops/fm/1e9:8.1f} {cpu_per_wall(fw, fc):8.2f}  "
               f"faiss.omp_set_num_threads(2), OMP_NUM_THREADS=2, OPENBLAS_NUM_THREADS=2; "
               f"static OpenBLAS in {faiss_lib}: {faiss_kernel} (its own pick{', OPENBLAS_CORETYPE=' + os.environ['OPENBLAS_CORETYPE'] if os.environ.get('OPENBLAS_CORETYPE') else ''})")
    out.append(f"  {'bare cblas_sgemm ' + f'{nq}x{nb}x{d}':<62} "
               f"{bm*1e3:8.1f} ms [{bmin*1e3:6.1f}..{bmax*1e3:6.1f}] {nq/bm:10.0f} {flops/bm/1e9:8.1f} {cpu_per_wall(bw, bc):8.2f}  "
               f"one call, OPENBLAS_NUM_THREADS=2 (openblas_get_num_threads={bare['blas_threads']}); "
               f"{coretype_source(bare['coretype_env'], bare['corename'])}")
    all_identical = True
    notes = []
    for label, ours, ids in runs:
        ow, oc = floats(ours["search_wall"]), floats(ours["search_cpu"])
        om, omin, omax = stats(ow)
        label = f"{label} [{ours['blocks']}]"
        out.append(f"  {label:<62} "
                   f"{om*1e3:8.1f} ms [{omin*1e3:6.1f}..{omax*1e3:6.1f}] {nq/om:10.0f} {flops/om/1e9:8.1f} {cpu_per_wall(ow, oc):8.2f}  "
                   f"OMP_NUM_THREADS=2 ({os.path.basename(a.runtime)}, team {ours['team']} threads), "
                   f"OPENBLAS_NUM_THREADS=1 inside the region (openblas_get_num_threads={ours['blas_threads']}); "
                   f"{coretype_source(ours['coretype_env'], ours['corename'])}")
        # Identity of the ids: exact, position by position. A differing position counts as a
        # tie only when both ids' exact (float64) scores are equal.
        diff = ids != I
        n_diff = int(diff.sum())
        ties = near = real = 0
        worst = None
        for qi, r in zip(*np.nonzero(diff)):
            a_id, b_id = int(ids[qi, r]), int(I[qi, r])
            sa = float(np.dot(xq[qi].astype(np.float64), xb[a_id].astype(np.float64))) if a_id >= 0 else -np.inf
            sb = float(np.dot(xq[qi].astype(np.float64), xb[b_id].astype(np.float64))) if b_id >= 0 else -np.inf
            if sa == sb:
                ties += 1
            elif abs(sa - sb) <= 1e-5 * max(abs(sa), abs(sb)):
                near += 1
            else:
                real += 1
            gap = abs(sa - sb)
            if worst is None or gap > worst[0]:
                worst = (gap, int(qi), int(r), a_id, b_id, sa, sb)
        all_identical = all_identical and n_diff == 0
        verdict = "IDENTICAL" if n_diff == 0 else f"{n_diff} of {nq*k} positions differ ({ties} exact ties, {near} within 1e-5 rel, {real} real)"
        notes.append(f"  [{label}] top-{k} ids vs faiss: {verdict}; own checks: repeatable ids {ours['repeatable']}, "
                     f"scalar reference {ours['reference_ok']} ({ours['reference_detail']})")
        if worst is not None:
            gap, qi, r, a_id, b_id, sa, sb = worst
            notes.append(f"    largest score gap at a differing position: query {qi} rank {r}: ours id {a_id} ({sa:.6f}) vs faiss id {b_id} ({sb:.6f})")
        r_faiss, r_bare = fm / om, om / bm
        notes.append(f"    ours vs faiss {r_faiss:.2f}x queries/s (goal >= 3x: {'met' if r_faiss >= 3 else 'MISSED'}); "
                     f"ours / bare sgemm time {r_bare:.3f} (goal <= 1.25: {'met' if r_bare <= 1.25 else 'MISSED'})")
    out += notes
    out.append(f"  ceiling: even a search costing exactly one bare sgemm would be {fm / bm:.2f}x faiss here "
               f"(faiss {flops/fm/1e9:.0f} GFLOP/s vs bare sgemm {flops/bm/1e9:.0f} GFLOP/s)")
    return out, all_identical, flops / bm / 1e9


# ---------------------------------------------------------------------------- training

def numpy_train(batch, d, steps, repeats, seed):
    """Linear d x d + bias, MSE on a fixed regression target, Adam; all float32.
    Same maths as TrainingLoop.swift. Returns per-step wall and CPU seconds (step 1 of each
    repeat is a warm-up and not timed) and the first/last timed loss."""
    beta1, beta2, eps, lr = np.float32(0.9), np.float32(0.999), np.float32(1e-8), np.float32(0.0005)
    wall, cpu = [], []
    first = last = None
    for _ in range(repeats):
        rng = np.random.default_rng(seed)
        x = rng.uniform(-1, 1, (batch, d)).astype(np.float32)
        w_true = (rng.uniform(-1, 1, (d, d)) * 0.05).astype(np.float32)
        b_true = (rng.uniform(-1, 1, d) * 0.5).astype(np.float32)
        target = x @ w_true.T + b_true
        w = np.zeros((d, d), np.float32)
        b = np.zeros(d, np.float32)
        mw, vw = np.zeros_like(w), np.zeros_like(w)
        mb, vb = np.zeros_like(b), np.zeros_like(b)
        n = batch * d
        scale = np.float32(2.0 / n)
        for step in range(1, steps + 1):
            c0, t0 = time.process_time(), time.perf_counter()
            y = x @ w.T
            y += b
            e = y - target
            loss = float(np.dot(e.ravel(), e.ravel())) / n
            dy = e * scale
            gw = dy.T @ x
            gb = dy.sum(axis=0)
            c1 = np.float32(1 - beta1 ** step)
            c2 = np.float32(1 - beta2 ** step)
            for p, g, m, v in ((w, gw, mw, vw), (b, gb, mb, vb)):
                m *= beta1
                m += (1 - beta1) * g
                v *= beta2
                v += (1 - beta2) * (g * g)
                p -= lr * (m / c1) / (np.sqrt(v / c2) + eps)
            t1, c1t = time.perf_counter(), time.process_time()
            if step > 1:
                wall.append(t1 - t0)
                cpu.append(c1t - c0)
            if step == 2:
                first = loss
            last = loss
    return wall, cpu, first, last


def bench_train(a, binary, bare_gflops=None):
    out = [f"== 2. Training step: Linear {a.d}x{a.d} + bias, MSE, Adam (float32); per batch {a.train_repeats} fresh runs x "
           f"{a.train_steps} steps, step 1 of each run untimed (median [min..max] per step)"]
    out.append(f"  {'batch':>5} {'side':<13} {'time per step':>28} {'steps/s':>9} {'cpu/wall':>8}  threads; BLAS kernel; loss step2 -> last")
    np_kernel, np_threads = numpy_blas()
    goals = {8: 3.0, 256: 1.5}
    ratios = {}
    for batch in (8, 256):
        nw, nc, nf, nl = numpy_train(batch, a.d, a.train_steps, a.train_repeats, a.seed)
        nm, nmin, nmax = stats(nw)
        out.append(f"  {batch:>5} {'numpy':<13} {nm*1e3:7.3f} ms [{nmin*1e3:6.3f}..{nmax*1e3:7.3f}] {1/nm:9.1f} {cpu_per_wall(nw, nc):8.2f}  "
                   f"numpy {np.__version__}, bundled OpenBLAS threads={np_threads} (element-wise ops single-threaded); "
                   f"{np_kernel} ({'OPENBLAS_CORETYPE=' + os.environ['OPENBLAS_CORETYPE'] if os.environ.get('OPENBLAS_CORETYPE') else 'its own pick'}); "
                   f"{nf:.5f} -> {nl:.5f}")
        losses = {}
        for label, fused in (("ours", "0"), ("ours fused", "1")):
            ours = run_native(binary, "train", {"OMP_NUM_THREADS": "2", "OPENBLAS_NUM_THREADS": "1"},
                              runtime=a.runtime, batch=batch, steps=a.train_steps, repeats=a.train_repeats, fused=fused)
            ow, oc = floats(ours["step_wall"]), floats(ours["step_cpu"])
            om, omin, omax = stats(ow)
            losses[label] = float(ours["loss_last"])
            out.append(f"  {batch:>5} {label:<13} {om*1e3:7.3f} ms [{omin*1e3:6.3f}..{omax*1e3:7.3f}] {1/om:9.1f} {cpu_per_wall(ow, oc):8.2f}  "
                       f"OMP_NUM_THREADS=2 ({os.path.basename(a.runtime)}, team {ours['team']}), OPENBLAS_NUM_THREADS=1 "
                       f"(openblas_get_num_threads={ours['blas_threads']}); {coretype_source(ours['coretype_env'], ours['corename'])}; "
                       f"{float(ours['loss_first']):.5f} -> {float(ours['loss_last']):.5f}; step 1: Adam equals serial "
                       f"{ours['adam_matches_serial']}, gW matches scalar reference {ours['grad_matches_reference']}")
            ratios[(batch, label)] = nm / om
        la, lb = losses["ours"], losses["ours fused"]
        same = abs(la - lb) <= 1e-3 * max(abs(la), abs(lb))
        out.append(f"        last loss ours vs ours fused: {la:.7f} vs {lb:.7f} ({'agree' if same else 'DIFFER'} within 1e-3 rel)")
    for (batch, label), r in ratios.items():
        out.append(f"  batch {batch}: {label} vs numpy {r:.2f}x steps/s (goal >= {goals[batch]}x: {'met' if r >= goals[batch] else 'MISSED'})")
    if bare_gflops:
        for batch in (8, 256):
            f = 2 * 2.0 * batch * a.d * a.d
            out.append(f"  floor from BLAS alone at batch {batch}: 2 sgemms = {f/1e6:.0f} MFLOP at the bare 2-thread sgemm rate above "
                       f"({bare_gflops:.0f} GFLOP/s) = {f/bare_gflops/1e6:.2f} ms, before any element-wise work or Adam")
    out.append("  'ours' = the probe's step (TrainingLoop maths: sgemms on the calling thread, element-wise work and Adam in 4 regions);")
    out.append("  'ours fused' = prototype in KernelBench only: one region per step, each thread owns a slice of output features "
               "(its sgemms, bias+MSE grad, gW rows, gB, Adam)")
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--binary", default=os.path.join(ROOT, ".build-bench", "release", "omp-kernel-bench"))
    p.add_argument("--runtime", default="/usr/lib/x86_64-linux-gnu/libgomp.so.1")
    p.add_argument("--d", type=int, default=768)
    p.add_argument("--nb", type=int, default=100_000)
    p.add_argument("--nq", type=int, default=1_000)
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--seed", type=int, default=1234)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--train-steps", type=int, default=50)
    p.add_argument("--train-repeats", type=int, default=3)
    p.add_argument("--qblock", type=int, default=250, help="FlatIndex.queryBlock for the tuned row (0: no tuned row)")
    p.add_argument("--dblock", type=int, default=1024, help="FlatIndex.dbBlock for the tuned row")
    p.add_argument("--only", choices=["search", "train"], default=None)
    a = p.parse_args()

    info = run_native(a.binary, "info", {})
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    load = os.getloadavg()
    print(f"kernel bench {time.strftime('%Y-%m-%d %H:%M:%S %Z')} on {platform.node()}: {cpu}, {os.cpu_count()} cpus, "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at start")
    print(f"  ours: {info['config']}; openblas_get_corename() = {coretype_source(info['coretype_env'], info['corename'])}")
    print(f"  python {platform.python_version()}, numpy {np.__version__}, faiss-cpu {faiss.__version__}")
    ok = True
    bare = None
    if a.only in (None, "search"):
        lines, ok, bare = bench_search(a, a.binary)
        print("\n".join(lines), flush=True)
    if a.only in (None, "train"):
        print("\n".join(bench_train(a, a.binary, bare)), flush=True)
    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at end (other work on this shared 2-cpu machine skews every figure)")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
