/*
 * omp-probe-windows: the Windows side of the kit's probe, cross-compiled with mingw-w64 at
 * provisioning time and run under Wine.
 *
 * It reads the same plan text as omp-probe (Sources/OMPPlan/Step.swift) and writes the same
 * record protocol (Sources/OMPPlan/Protocol.swift), so the supervisor, the classifier and the
 * reports take its results as they take omp-probe's:
 *
 *   omp-probe-windows.exe --runtime NAME=PATH ... --steps 'load a; init a; ...'
 *
 * PATH is a Unix path (as the supervisor passes it) or a Windows one; a Unix path is reached
 * through Wine's Z: drive. Each runtime is loaded with LoadLibraryW by full path (so two copies
 * are two modules, as torch and ctranslate2 load theirs) and used only through its own exports:
 * omp_get_max_threads / omp_get_thread_num / omp_get_num_threads and, for a region,
 * __kmpc_fork_call (Intel libiomp5md.dll) or _vcomp_fork (Microsoft vcomp140.dll).
 * Workloads are plain C (no BLAS); every region must run on at least 2 threads and agree with
 * a serial computation.
 *
 * The NUMA remedy: Wine 8.0 does not implement GetNumaNodeProcessorMaskEx, and Intel runtimes
 * from 2025 on stop at their first OpenMP call with "OMP: Error #179" when it fails. After each
 * load the probe patches that import of the loaded runtime (its IAT entry) to answer as a
 * one-node Windows machine does (node 0: group 0, every CPU of the process). It says so with a
 * check record named `wine-numa-remedy`. OMP_CONFORMANCE_NUMA_REMEDY=off disables it (tests
 * use that to show the remedy matters).
 *
 * Exit status as omp-probe: 0 all checks passed; 1 a check failed; 2 bad usage or a step this
 * probe does not implement; 3 a runtime could not be loaded or is not an OpenMP runtime.
 */
#define WIN32_LEAN_AND_MEAN
#define _WIN32_WINNT 0x0601
#include <windows.h>
#include <psapi.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#define MAX_RUNTIMES 16
#define MAX_STEPS 256
#define MAX_CHECKS 64

/* ---------- output: one record per line, written straight to the handle ---------- */

static void write_out(HANDLE h, const char *s, size_t n) {
    DWORD done = 0;
    while (n > 0) {
        if (!WriteFile(h, s, (DWORD)n, &done, NULL) || done == 0) return;
        s += done; n -= done;
    }
}

/* One line to a standard handle; a record's fields never hold a line break. */
static void vwrite_line(DWORD which, int one_line, const char *fmt, va_list ap) {
    char buf[4096];
    int n = vsnprintf(buf, sizeof buf - 2, fmt, ap);
    if (n < 0) return;
    if (n > (int)sizeof buf - 2) n = (int)sizeof buf - 2;
    if (one_line) for (int i = 0; i < n; i++) if (buf[i] == '\n' || buf[i] == '\r') buf[i] = ' ';
    buf[n++] = '\n';
    write_out(GetStdHandle(which), buf, (size_t)n);
}

static void line(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vwrite_line(STD_OUTPUT_HANDLE, 1, fmt, ap);
    va_end(ap);
}

static void err(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vwrite_line(STD_ERROR_HANDLE, 0, fmt, ap);
    va_end(ap);
}

/* ---------- runtimes ---------- */

typedef int (*omp_int_fn)(void);
typedef void (*kmpc_fork_fn)(void *loc, int argc, void *microtask, ...);
typedef void (*vcomp_fork_fn)(int ifval, int nargs, void *wrapper, ...);

enum family { FAMILY_KMP = 1, FAMILY_VCOMP = 2 };

typedef struct {
    char name[65];
    char path[1024];
    HMODULE module;
    enum family family;
    omp_int_fn max_threads, thread_num, num_threads;
    kmpc_fork_fn kmpc_fork;
    vcomp_fork_fn vcomp_fork;
    int started;
    uint64_t team_ids;       /* every omp_get_thread_num seen in this runtime's regions */
} runtime_t;

static runtime_t runtimes[MAX_RUNTIMES];
static int runtime_count;

static runtime_t *find_runtime(const char *name) {
    for (int i = 0; i < runtime_count; i++) if (strcmp(runtimes[i].name, name) == 0) return &runtimes[i];
    return NULL;
}

/* A Unix path goes through Wine's Z: drive; a Windows path is used as given. */
static void windows_path(const char *path, wchar_t *out, size_t cap) {
    char tmp[1100];
    if (path[0] == '/') snprintf(tmp, sizeof tmp, "Z:%s", path); else snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp; *p; p++) if (*p == '/') *p = '\\';
    MultiByteToWideChar(CP_UTF8, 0, tmp, -1, out, (int)cap);
}

/* Back from a module file name to the path the supervisor knows (Z:\x\y -> /x/y). */
static void unix_path(const wchar_t *w, char *out, size_t cap) {
    char tmp[1100];
    WideCharToMultiByte(CP_UTF8, 0, w, -1, tmp, sizeof tmp, NULL, NULL);
    const char *s = tmp;
    size_t j = 0;
    if ((tmp[0] == 'Z' || tmp[0] == 'z') && tmp[1] == ':') s = tmp + 2;
    for (; *s && j + 1 < cap; s++) out[j++] = (s != tmp && *s == '\\' && tmp + 2 <= s) ? '/' : *s;
    out[j] = 0;
}

/* ---------- the NUMA remedy ---------- */

static BOOL WINAPI one_node_mask(USHORT node, PGROUP_AFFINITY mask) {
    if (mask == NULL || node != 0) { SetLastError(ERROR_INVALID_PARAMETER); return FALSE; }
    DWORD_PTR process = 0, system = 0;
    if (!GetProcessAffinityMask(GetCurrentProcess(), &process, &system) || system == 0) system = 1;
    memset(mask, 0, sizeof *mask);
    mask->Mask = (KAFFINITY)system;
    mask->Group = 0;
    return TRUE;
}

/* Replaces the module's import of GetNumaNodeProcessorMaskEx (from any DLL) by one_node_mask.
 * Returns the count of entries patched, -1 when the import table cannot be read. */
static int patch_numa_import(HMODULE module) {
    BYTE *base = (BYTE *)module;
    IMAGE_DOS_HEADER *dos = (IMAGE_DOS_HEADER *)base;
    if (dos->e_magic != IMAGE_DOS_SIGNATURE) return -1;
    IMAGE_NT_HEADERS64 *nt = (IMAGE_NT_HEADERS64 *)(base + dos->e_lfanew);
    if (nt->Signature != IMAGE_NT_SIGNATURE || nt->OptionalHeader.Magic != IMAGE_NT_OPTIONAL_HDR64_MAGIC) return -1;
    IMAGE_DATA_DIRECTORY dir = nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_IMPORT];
    if (dir.VirtualAddress == 0) return 0;
    int patched = 0;
    for (IMAGE_IMPORT_DESCRIPTOR *d = (IMAGE_IMPORT_DESCRIPTOR *)(base + dir.VirtualAddress); d->Name != 0; d++) {
        if (d->OriginalFirstThunk == 0) continue;
        IMAGE_THUNK_DATA64 *names = (IMAGE_THUNK_DATA64 *)(base + d->OriginalFirstThunk);
        IMAGE_THUNK_DATA64 *slots = (IMAGE_THUNK_DATA64 *)(base + d->FirstThunk);
        for (; names->u1.AddressOfData != 0; names++, slots++) {
            if (IMAGE_SNAP_BY_ORDINAL64(names->u1.Ordinal)) continue;
            IMAGE_IMPORT_BY_NAME *ibn = (IMAGE_IMPORT_BY_NAME *)(base + names->u1.AddressOfData);
            if (strcmp((const char *)ibn->Name, "GetNumaNodeProcessorMaskEx") != 0) continue;
            DWORD old = 0;
            if (!VirtualProtect(&slots->u1.Function, sizeof slots->u1.Function, PAGE_READWRITE, &old)) continue;
            slots->u1.Function = (ULONGLONG)(uintptr_t)one_node_mask;
            VirtualProtect(&slots->u1.Function, sizeof slots->u1.Function, old, &old);
            patched++;
        }
    }
    return patched;
}

static int numa_remedy_enabled(void) {
    char v[16];
    DWORD n = GetEnvironmentVariableA("OMP_CONFORMANCE_NUMA_REMEDY", v, sizeof v);
    return !(n > 0 && n < sizeof v && (_stricmp(v, "off") == 0 || strcmp(v, "0") == 0));
}

/* ---------- checks of one step ---------- */

typedef struct { char name[64]; int passed; char detail[512]; } check_t;
static check_t checks[MAX_CHECKS];
static int check_count;
static struct { runtime_t *rt; int team; } min_team[MAX_RUNTIMES];
static int min_team_count;

static void check(const char *name, int passed, const char *fmt, ...) {
    if (check_count >= MAX_CHECKS) return;
    check_t *c = &checks[check_count++];
    snprintf(c->name, sizeof c->name, "%s", name);
    c->passed = passed;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->detail, sizeof c->detail, fmt, ap);
    va_end(ap);
}

static void team(runtime_t *rt, int threads) {
    for (int i = 0; i < min_team_count; i++) {
        if (min_team[i].rt == rt) { if (threads < min_team[i].team) min_team[i].team = threads; return; }
    }
    min_team[min_team_count].rt = rt; min_team[min_team_count].team = threads; min_team_count++;
}

/* ---------- one parallel region, statically split ---------- */

typedef void (*body_fn)(void *ctx, int lo, int hi, int tid);
typedef struct { runtime_t *rt; int count; body_fn body; void *ctx; volatile LONG64 ids; } region_t;

static void region_work(region_t *r) {
    int tid = r->rt->thread_num(), nth = r->rt->num_threads();
    if (nth < 1) nth = 1;
    if (tid >= 0 && tid < 64) InterlockedOr64(&r->ids, (LONG64)1 << tid);
    int per = r->count / nth, extra = r->count % nth;
    int lo = tid * per + (tid < extra ? tid : extra);
    int hi = lo + per + (tid < extra ? 1 : 0);
    if (tid >= 0 && lo < hi) r->body(r->ctx, lo, hi, tid);
}

static void kmp_microtask(int *gtid, int *btid, region_t *r) { (void)gtid; (void)btid; region_work(r); }
static void vcomp_wrapper(region_t *r) { region_work(r); }

static struct { int reserved1, flags, reserved2, reserved3; const char *psource; } ident = { 0, 2, 0, 0, ";omp-probe-windows;region;0;0;;" };

/* Runs body over 0..<count in one region of rt; returns the distinct thread numbers seen. */
static int parallel_for(runtime_t *rt, int count, body_fn body, void *ctx) {
    region_t r = { rt, count, body, ctx, 0 };
    if (rt->family == FAMILY_KMP) rt->kmpc_fork(&ident, 1, (void *)kmp_microtask, &r);
    else rt->vcomp_fork(1, 1, (void *)vcomp_wrapper, &r);
    rt->started = 1;
    rt->team_ids |= (uint64_t)r.ids;
    int n = 0;
    for (uint64_t m = (uint64_t)r.ids; m; m &= m - 1) n++;
    team(rt, n);
    return n;
}

/* ---------- data ---------- */

static uint64_t rng_state;
static uint64_t rng_next(void) {
    rng_state += 0x9E3779B97F4A7C15ull;
    uint64_t z = rng_state;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static void fill(float *p, int n, float scale) {
    for (int i = 0; i < n; i++) p[i] = ((float)(rng_next() >> 40) / (float)(1 << 24) * 2 - 1) * scale;
}
static float *floats(size_t n) { float *p = calloc(n ? n : 1, sizeof(float)); if (!p) { err("omp-probe-windows: out of memory"); ExitProcess(3); } return p; }

static int close_enough(double a, double b, double rel, double abs_tol) {
    double d = fabs(a - b), m = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
    return d <= (abs_tol > rel * m ? abs_tol : rel * m);
}

/* y = x . W^T (batch x dim), serial: the role BLAS has in omp-probe. */
static void forward(const float *x, const float *w, float *y, int b, int d) {
    for (int i = 0; i < b; i++)
        for (int j = 0; j < d; j++) {
            float s = 0;
            for (int k = 0; k < d; k++) s += x[i * d + k] * w[j * d + k];
            y[i * d + j] = s;
        }
}

/* ---------- train: a linear layer with Adam ---------- */

typedef struct {
    int d, b;
    float *x, *target, *w, *bias, *mW, *vW, *mB, *vB, *yhat, *dy, *gW, *gB;
    double partial[64];
    float beta1, beta2, lr, eps, c1, c2, scale;
} train_t;

static void train_residual(void *ctx, int lo, int hi, int tid) {
    train_t *t = ctx;
    double s = 0;
    for (int i = lo; i < hi; i++) {
        float y = t->yhat[i] + t->bias[i % t->d];
        t->yhat[i] = y;
        float e = y - t->target[i];
        t->dy[i] = t->scale * e;
        s += (double)e * e;
    }
    if (tid < 64) t->partial[tid] += s;
}
static void train_gb(void *ctx, int lo, int hi, int tid) {
    train_t *t = ctx; (void)tid;
    for (int j = lo; j < hi; j++) { float s = 0; for (int i = 0; i < t->b; i++) s += t->dy[i * t->d + j]; t->gB[j] = s; }
}
static void adam(train_t *t, float *p, const float *g, float *m, float *v, int lo, int hi) {
    for (int i = lo; i < hi; i++) {
        float gi = g[i];
        float mi = t->beta1 * m[i] + (1 - t->beta1) * gi;
        float vi = t->beta2 * v[i] + (1 - t->beta2) * gi * gi;
        m[i] = mi; v[i] = vi;
        p[i] -= t->lr * (mi / t->c1) / (sqrtf(vi / t->c2) + t->eps);
    }
}
static void train_adam_w(void *ctx, int lo, int hi, int tid) { train_t *t = ctx; (void)tid; adam(t, t->w, t->gW, t->mW, t->vW, lo, hi); }
static void train_adam_b(void *ctx, int lo, int hi, int tid) { train_t *t = ctx; (void)tid; adam(t, t->bias, t->gB, t->mB, t->vB, lo, hi); }

static void run_train(runtime_t *rt, int d, int b, int steps) {
    train_t t = { .d = d, .b = b, .beta1 = 0.9f, .beta2 = 0.999f, .lr = 0.0005f, .eps = 1e-8f };
    rng_state = 0x5EED;
    t.x = floats((size_t)b * d); fill(t.x, b * d, 1);
    float *wTrue = floats((size_t)d * d), *bTrue = floats(d);
    fill(wTrue, d * d, 0.05f); fill(bTrue, d, 0.5f);
    t.target = floats((size_t)b * d);
    forward(t.x, wTrue, t.target, b, d);
    for (int i = 0; i < b; i++) for (int j = 0; j < d; j++) t.target[i * d + j] += bTrue[j];
    t.w = floats((size_t)d * d); t.bias = floats(d); t.mW = floats((size_t)d * d); t.vW = floats((size_t)d * d);
    t.mB = floats(d); t.vB = floats(d); t.yhat = floats((size_t)b * d); t.dy = floats((size_t)b * d);
    t.gW = floats((size_t)d * d); t.gB = floats(d);
    int n = b * d, loss_ok = 1, adam_ok = 1;
    t.scale = 2.0f / (float)n;
    double first = NAN, last = NAN;
    char why[256] = "";
    for (int step = 1; step <= steps; step++) {
        forward(t.x, t.w, t.yhat, b, d);
        memset(t.partial, 0, sizeof t.partial);
        parallel_for(rt, n, train_residual, &t);
        double loss = 0;
        for (int i = 0; i < 64; i++) loss += t.partial[i];
        loss /= n;
        double ref = 0;
        for (int i = 0; i < n; i++) { double e = (double)t.yhat[i] - t.target[i]; ref += e * e; }
        ref /= n;
        if (loss_ok && !close_enough(loss, ref, 1e-3, 1e-6)) {
            loss_ok = 0; snprintf(why, sizeof why, "step %d: parallel loss %.6f but serial %.6f", step, loss, ref);
        }
        if (step == 1) first = loss;
        last = loss;
        line("Step %d/%d: loss=%.4f", step, steps, loss);
        /* gW = dY^T . x, serial */
        for (int j = 0; j < d; j++) for (int k = 0; k < d; k++) {
            float s = 0; for (int i = 0; i < b; i++) s += t.dy[i * d + j] * t.x[i * d + k]; t.gW[j * d + k] = s;
        }
        parallel_for(rt, d, train_gb, &t);
        t.c1 = 1 - powf(t.beta1, (float)step); t.c2 = 1 - powf(t.beta2, (float)step);
        parallel_for(rt, d * d, train_adam_w, &t);
        parallel_for(rt, d, train_adam_b, &t);
        if (step == 1) {
            for (int i = 0; i < d * d && adam_ok; i++) {
                float gi = t.gW[i], mi = (1 - t.beta1) * gi, vi = (1 - t.beta2) * gi * gi;
                float want = 0 - t.lr * (mi / t.c1) / (sqrtf(vi / t.c2) + t.eps);
                if (t.w[i] != want) { adam_ok = 0; check("train-adam-parallel-vs-serial", 0, "weight %d differs from the serial Adam update", i); }
            }
            if (adam_ok) check("train-adam-parallel-vs-serial", 1, "all %d weights equal the serial Adam update", d * d);
        }
    }
    check("train-loss-parallel-vs-serial", loss_ok, "%s", loss_ok ? "every step's parallel loss equals the serial sum" : why);
    int finite = isfinite(first) && isfinite(last);
    check("train-loss-finite", finite, finite ? "all %d losses are finite" : "a loss is not finite (%d steps)", steps);
    int decreased = steps >= 2 ? last < first : finite;
    check("train-loss-decreases", decreased, "loss %.4f -> %.4f over %d steps", first, last, steps);
    free(wTrue); free(bTrue); free(t.x); free(t.target); free(t.w); free(t.bias); free(t.mW); free(t.vW);
    free(t.mB); free(t.vB); free(t.yhat); free(t.dy); free(t.gW); free(t.gB);
}

/* ---------- infer: a forward pass with bias and activation in parallel ---------- */

typedef struct { int d, b; float *x, *w, *bias, *y; } infer_t;
static void infer_body(void *ctx, int lo, int hi, int tid) {
    infer_t *f = ctx; (void)tid;
    for (int i = lo; i < hi; i++) { float v = f->y[i] + f->bias[i % f->d]; f->y[i] = v > 0 ? v : 0; }
}
static int run_infer(runtime_t *rt, int d, int b, int report) {
    infer_t f = { d, b, floats((size_t)b * d), floats((size_t)d * d), floats(d), floats((size_t)b * d) };
    uint64_t saved = rng_state;
    rng_state = 0x1F3;
    fill(f.x, b * d, 1); fill(f.w, d * d, 0.05f); fill(f.bias, d, 0.5f);
    rng_state = saved;
    forward(f.x, f.w, f.y, b, d);
    float *ref = floats((size_t)b * d);
    memcpy(ref, f.y, sizeof(float) * (size_t)b * d);
    for (int i = 0; i < b * d; i++) { float v = ref[i] + f.bias[i % d]; ref[i] = v > 0 ? v : 0; }
    parallel_for(rt, b * d, infer_body, &f);
    int bad = -1;
    for (int i = 0; i < b * d && bad < 0; i++) if (f.y[i] != ref[i]) bad = i;
    if (report) check("infer-parallel-vs-serial", bad < 0, bad < 0 ? "all %d outputs equal the serial forward pass" : "output %d differs from the serial forward pass", bad < 0 ? b * d : bad);
    free(f.x); free(f.w); free(f.bias); free(f.y); free(ref);
    return bad < 0;
}

/* ---------- the flat inner-product index ---------- */

static float *index_data;
static int index_n, index_dim;

static void add_vectors(int n, int d) {
    uint64_t saved = rng_state;
    rng_state = 0xFA155;
    float *data = floats((size_t)n * d);
    fill(data, n * d, 1);
    rng_state = saved;
    if (index_data == NULL || index_dim != d) { free(index_data); index_data = NULL; index_n = 0; index_dim = d; }
    float *grown = realloc(index_data, sizeof(float) * (size_t)(index_n + n) * d);
    if (!grown) { err("omp-probe-windows: out of memory"); ExitProcess(3); }
    index_data = grown;
    memcpy(index_data + (size_t)index_n * d, data, sizeof(float) * (size_t)n * d);
    index_n += n;
    free(data);
}

typedef struct { const float *q; int k; int *ids; double *scores; } search_t;

/* Top-k of one query, scores in double, best first, ties to the lower id. */
static void topk(const float *q, int k, int *ids, double *scores) {
    for (int r = 0; r < k; r++) { ids[r] = -1; scores[r] = -INFINITY; }
    for (int j = 0; j < index_n; j++) {
        double s = 0;
        const float *v = index_data + (size_t)j * index_dim;
        for (int t = 0; t < index_dim; t++) s += (double)q[t] * v[t];
        if (s > scores[k - 1] || ids[k - 1] < 0) {
            int p = k - 1;
            while (p > 0 && scores[p - 1] < s) { scores[p] = scores[p - 1]; ids[p] = ids[p - 1]; p--; }
            scores[p] = s; ids[p] = j;
        }
    }
}
static void search_body(void *ctx, int lo, int hi, int tid) {
    search_t *s = ctx; (void)tid;
    for (int qi = lo; qi < hi; qi++) topk(s->q + (size_t)qi * index_dim, s->k, s->ids + (size_t)qi * s->k, s->scores + (size_t)qi * s->k);
}
static int run_search(runtime_t *rt, int nq, int k, int report) {
    if (k > index_n) k = index_n;
    if (k < 1) k = 1;
    uint64_t saved = rng_state;
    rng_state = 0x9E7;
    float *q = floats((size_t)nq * index_dim);
    fill(q, nq * index_dim, 1);
    rng_state = saved;
    int *ids = calloc((size_t)nq * k, sizeof(int)), *want = calloc((size_t)k, sizeof(int));
    double *scores = calloc((size_t)nq * k, sizeof(double)), *ws = calloc((size_t)k, sizeof(double));
    search_t s = { q, k, ids, scores };
    parallel_for(rt, nq, search_body, &s);
    int bad = -1;
    for (int qi = 0; qi < nq && bad < 0; qi++) {
        topk(q + (size_t)qi * index_dim, k, want, ws);
        for (int r = 0; r < k; r++) if (ids[qi * k + r] != want[r]) { bad = qi; break; }
    }
    if (report) {
        check("search-topk", bad < 0, bad < 0 ? "top-%d ids of %d queries equal the serial reference" : "query %d differs from the serial reference", bad < 0 ? k : bad, nq);
        line("Search: %d queries over %d vectors, query 0 top-1 = %d", nq, index_n, ids[0]);
    }
    free(q); free(ids); free(want); free(scores); free(ws);
    return bad < 0;
}

/* ---------- serve: threads taking requests, infer in a and search in b ---------- */

typedef struct { runtime_t *a, *b; int requests, dim, batch, queries, k; volatile LONG next, failed; } server_t;
static DWORD WINAPI serve_thread(LPVOID p) {
    server_t *s = p;
    for (;;) {
        LONG r = InterlockedIncrement(&s->next);
        if (r > s->requests) return 0;
        if (!run_infer(s->a, s->dim, s->batch, 0) || !run_search(s->b, s->queries, s->k, 0)) InterlockedIncrement(&s->failed);
    }
}

/* ---------- plan ---------- */

typedef struct { char verb[16]; char args[3][300]; int argc; char keys[8][16]; int vals[8]; int nsizes; char text[700]; } step_t;
static step_t steps[MAX_STEPS];
static int step_count;

static int size_of(const step_t *s, const char *key, int dflt) {
    int v = dflt;
    for (int i = 0; i < s->nsizes; i++) if (strcmp(s->keys[i], key) == 0) v = s->vals[i];
    return v;
}

static int parse_plan(char *text) {
    for (char *ln = text; ln && *ln;) {
        char *nl = strchr(ln, '\n');
        if (nl) *nl = 0;
        char *hash = strchr(ln, '#');
        if (hash) *hash = 0;
        for (char *piece = ln; piece;) {
            char *semi = strchr(piece, ';');
            if (semi) *semi = 0;
            step_t st = { 0 };
            char *save = NULL;
            int words = 0;
            for (char *w = strtok_r(piece, " \t\r", &save); w; w = strtok_r(NULL, " \t\r", &save), words++) {
                if (words == 0) { snprintf(st.verb, sizeof st.verb, "%s", w); continue; }
                char *eq = strchr(w, '=');
                int is_size = eq && strcmp(st.verb, "setenv") != 0;
                if (is_size && st.nsizes < 8) {
                    *eq = 0;
                    snprintf(st.keys[st.nsizes], sizeof st.keys[0], "%s", w);
                    st.vals[st.nsizes++] = atoi(eq + 1);
                    *eq = '=';
                } else if (!is_size && st.argc < 3) {
                    snprintf(st.args[st.argc++], sizeof st.args[0], "%s", w);
                }
            }
            if (words > 0) {
                if (step_count >= MAX_STEPS) { err("omp-probe-windows: more than %d steps", MAX_STEPS); return 0; }
                int n = snprintf(st.text, sizeof st.text, "%s", st.verb);
                for (int i = 0; i < st.argc; i++) n += snprintf(st.text + n, sizeof st.text - n, " %s", st.args[i]);
                for (int i = 0; i < st.nsizes; i++) n += snprintf(st.text + n, sizeof st.text - n, " %s=%d", st.keys[i], st.vals[i]);
                steps[step_count++] = st;
            }
            piece = semi ? semi + 1 : NULL;
        }
        ln = nl ? nl + 1 : NULL;
    }
    return 1;
}

static const char *const known_verbs[] = { "load", "init", "setenv", "unsetenv", "parallel", "train", "index", "add",
                                          "search", "infer", "serve", NULL };

/* ---------- steps ---------- */

static char declared_paths[MAX_RUNTIMES][1024];
static char declared_names[MAX_RUNTIMES][65];
static int declared_count;
static HMODULE reported_modules[256];
static int reported_count;

static void report_mapped(void) {
    HMODULE mods[1024];
    DWORD needed = 0;
    if (!EnumProcessModules(GetCurrentProcess(), mods, sizeof mods, &needed)) return;
    for (DWORD i = 0; i < needed / sizeof(HMODULE) && i < 1024; i++) {
        const char *family = GetProcAddress(mods[i], "__kmpc_fork_call") ? "kmp"
                           : GetProcAddress(mods[i], "_vcomp_fork") ? "vcomp" : NULL;
        if (!family) continue;
        int seen = 0;
        for (int j = 0; j < reported_count; j++) if (reported_modules[j] == mods[i]) seen = 1;
        if (seen || reported_count >= 256) continue;
        reported_modules[reported_count++] = mods[i];
        wchar_t w[1024];
        char path[1100];
        if (!GetModuleFileNameW(mods[i], w, 1024)) continue;
        unix_path(w, path, sizeof path);
        line("@omp mapped %s %s", family, path);
    }
}

static int fail_step(int no, const char *fmt, ...) {
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    line("@omp error %d %s", no, buf);
    return 3;
}

static int load_runtime(int no, const char *name) {
    const char *path = NULL;
    for (int i = 0; i < declared_count; i++) if (strcmp(declared_names[i], name) == 0) path = declared_paths[i];
    if (!path) return fail_step(no, "runtime '%s' has no path", name);
    if (find_runtime(name)) return 0;
    if (runtime_count >= MAX_RUNTIMES) return fail_step(no, "too many runtimes");
    wchar_t w[1100];
    windows_path(path, w, 1100);
    HMODULE h = LoadLibraryExW(w, NULL, LOAD_WITH_ALTERED_SEARCH_PATH);
    if (!h) return fail_step(no, "LoadLibraryW: %s: Windows error %lu", path, (unsigned long)GetLastError());
    runtime_t *rt = &runtimes[runtime_count];
    memset(rt, 0, sizeof *rt);
    snprintf(rt->name, sizeof rt->name, "%s", name);
    snprintf(rt->path, sizeof rt->path, "%s", path);
    rt->module = h;
    rt->max_threads = (omp_int_fn)(void *)GetProcAddress(h, "omp_get_max_threads");
    rt->thread_num = (omp_int_fn)(void *)GetProcAddress(h, "omp_get_thread_num");
    rt->num_threads = (omp_int_fn)(void *)GetProcAddress(h, "omp_get_num_threads");
    rt->kmpc_fork = (kmpc_fork_fn)(void *)GetProcAddress(h, "__kmpc_fork_call");
    rt->vcomp_fork = (vcomp_fork_fn)(void *)GetProcAddress(h, "_vcomp_fork");
    if (!rt->max_threads || !rt->thread_num || !rt->num_threads || (!rt->kmpc_fork && !rt->vcomp_fork))
        return fail_step(no, "not-openmp: %s does not export omp_get_max_threads, omp_get_thread_num, omp_get_num_threads "
                             "and __kmpc_fork_call or _vcomp_fork", path);
    rt->family = rt->kmpc_fork ? FAMILY_KMP : FAMILY_VCOMP;
    runtime_count++;
    /* Wine may substitute its own built-in DLL for the file asked for (it does for vcomp140.dll
     * unless WINEDLLOVERRIDES=vcomp140=n) while reporting the file's path: its images carry
     * "Wine builtin DLL" after the DOS header. Such a probe would not test the file. */
    int builtin = memcmp((const char *)h + 0x40, "Wine builtin DLL", 16) == 0;
    check("loaded-file", !builtin, builtin
          ? "Wine loaded its built-in DLL instead of %s (set WINEDLLOVERRIDES=<name>=n)"
          : "%s is the module in memory, not a Wine built-in", path);
    if (numa_remedy_enabled()) {
        int patched = patch_numa_import(h);
        if (patched > 0)
            check("wine-numa-remedy", 1, "numa remedy applied: %s imports GetNumaNodeProcessorMaskEx, which Wine 8.0 lacks; "
                  "the probe answers it as a one-node Windows machine (group 0, all CPUs)", name);
    } else {
        line("NUMA remedy disabled (OMP_CONFORMANCE_NUMA_REMEDY=off): %s keeps Wine's GetNumaNodeProcessorMaskEx", name);
    }
    report_mapped();
    return 0;
}

static void noop_body(void *ctx, int lo, int hi, int tid) { (void)ctx; (void)lo; (void)hi; (void)tid; }

static int execute(int no, step_t *s) {
    const char *v = s->verb;
    runtime_t *a = s->argc > 0 ? find_runtime(s->args[0]) : NULL;
    if (strcmp(v, "load") == 0) return load_runtime(no, s->args[0]);
    if (strcmp(v, "setenv") == 0) {
        char *eq = strchr(s->args[0], '=');
        if (!eq) return fail_step(no, "setenv takes NAME=VALUE");
        *eq = 0;
        SetEnvironmentVariableA(s->args[0], eq + 1);
        _putenv_s(s->args[0], eq + 1);
        *eq = '=';
        return 0;
    }
    if (strcmp(v, "unsetenv") == 0) {
        SetEnvironmentVariableA(s->args[0], NULL);
        _putenv_s(s->args[0], "");
        return 0;
    }
    if (strcmp(v, "add") == 0) {
        add_vectors(size_of(s, "n", 100), size_of(s, "dim", index_data ? index_dim : 768));
        check("add", 1, "%d vectors of dim %d in the index (no parallel region)", index_n, index_dim);
        return 0;
    }
    if (!a) return fail_step(no, "runtime '%s' is used before any 'load %s'", s->args[0], s->args[0]);
    if (strcmp(v, "init") == 0) {
        int n = a->max_threads();
        a->started = 1;
        char name[80];
        snprintf(name, sizeof name, "init-%s", a->name);
        check(name, n >= 1, "omp_get_max_threads() = %d", n);
    } else if (strcmp(v, "parallel") == 0) {
        parallel_for(a, a->max_threads() > 0 ? 1024 : 0, noop_body, NULL);
    } else if (strcmp(v, "train") == 0) {
        run_train(a, size_of(s, "dim", 768), size_of(s, "batch", 8), size_of(s, "steps", 5));
    } else if (strcmp(v, "infer") == 0) {
        run_infer(a, size_of(s, "dim", 768), size_of(s, "batch", 8), 1);
    } else if (strcmp(v, "index") == 0) {
        add_vectors(size_of(s, "n", 100), size_of(s, "dim", index_data ? index_dim : 768));
        run_search(a, size_of(s, "queries", 16), size_of(s, "k", 10), 1);
    } else if (strcmp(v, "search") == 0) {
        if (!index_data) return fail_step(no, "'search' needs an index: put an 'add' or 'index' step before it");
        run_search(a, size_of(s, "queries", 16), size_of(s, "k", 10), 1);
    } else if (strcmp(v, "serve") == 0) {
        runtime_t *b = s->argc > 1 ? find_runtime(s->args[1]) : NULL;
        if (!b) return fail_step(no, "runtime '%s' is used before any 'load %s'", s->args[1], s->args[1]);
        server_t sv = { a, b, size_of(s, "requests", 32), size_of(s, "dim", index_data ? index_dim : 768),
                        size_of(s, "batch", 8), size_of(s, "queries", 1), size_of(s, "k", 10), 0, 0 };
        if (!index_data || index_dim != sv.dim) add_vectors(size_of(s, "n", 100), sv.dim);
        int nt = size_of(s, "threads", 4);
        if (nt > 64) nt = 64;
        HANDLE th[64];
        int made = 0;
        for (int i = 0; i < nt; i++) { th[i] = CreateThread(NULL, 0, serve_thread, &sv, 0, NULL); if (th[i]) made++; else break; }
        WaitForMultipleObjects(made, th, TRUE, INFINITE);
        for (int i = 0; i < made; i++) CloseHandle(th[i]);
        check("serve", sv.failed == 0 && made == nt, "%d requests on %d threads, %ld failed a check", sv.requests, made, (long)sv.failed);
    }
    return 0;
}

static int usage(const char *why) {
    err("omp-probe-windows: %s\nusage: omp-probe-windows.exe --runtime NAME=PATH ... --steps 'load NAME; init NAME; ...'", why);
    return 2;
}

int main(int argc, char **argv) {
    char *plan = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--runtime") == 0 && i + 1 < argc) {
            char *eq = strchr(argv[++i], '=');
            if (!eq || eq == argv[i] || !eq[1] || declared_count >= MAX_RUNTIMES) return usage("--runtime needs NAME=PATH");
            snprintf(declared_names[declared_count], 65, "%.*s", (int)(eq - argv[i]), argv[i]);
            snprintf(declared_paths[declared_count], 1024, "%s", eq + 1);
            declared_count++;
        } else if (strcmp(argv[i], "--steps") == 0 && i + 1 < argc) {
            plan = argv[++i];
        } else if (strcmp(argv[i], "--quiet") == 0) {
        } else {
            char why[300];
            snprintf(why, sizeof why, "unknown argument '%s'", argv[i]);
            return usage(why);
        }
    }
    if (!plan) return usage("--steps is required");
    if (!parse_plan(plan)) return 2;
    /* No `@omp pid`: this process's Windows id is not a Unix pid, and the supervisor already
     * knows the Unix pid (Wine runs the program in the process it started). */
    /* A step this probe does not implement makes the whole plan untestable here, before anything runs. */
    for (int i = 0; i < step_count; i++) {
        int known = 0;
        for (int k = 0; known_verbs[k]; k++) if (strcmp(steps[i].verb, known_verbs[k]) == 0) known = 1;
        if (!known) {
            line("@omp error %d unsupported step '%s': the Windows probe does not implement it", i + 1, steps[i].verb);
            return 2;
        }
    }
    report_mapped();
    int failed = 0;
    for (int i = 0; i < step_count; i++) {
        int no = i + 1;
        step_t *s = &steps[i];
        line("@omp begin %d %s", no, s->text);
        check_count = 0; min_team_count = 0;
        int code = execute(no, s);
        if (code) return code;
        for (int t = 0; t < min_team_count; t++) {
            char name[80];
            snprintf(name, sizeof name, "threads-%s", min_team[t].rt->name);
            check(name, min_team[t].team >= 2, "smallest team seen in runtime %s: %d distinct thread ids (need >= 2)",
                  min_team[t].rt->name, min_team[t].team);
        }
        for (int c = 0; c < check_count; c++) {
            line("@omp check %d %s %s %s", no, checks[c].name, checks[c].passed ? "pass" : "fail", checks[c].detail);
            if (!checks[c].passed) failed++;
        }
        for (int t = 0; t < min_team_count; t++) line("@omp threads %d %s %d", no, min_team[t].rt->name, min_team[t].team);
        line("@omp end %d", no);
    }
    for (int r = 0; r < runtime_count; r++) {
        int n = 0;
        for (uint64_t m = runtimes[r].team_ids; m; m &= m - 1) n++;
        line("@omp started %s %s %s", runtimes[r].name, runtimes[r].started ? "yes" : "no",
             runtimes[r].started ? "its first OpenMP call returned" : "no OpenMP call was made");
        if (runtimes[r].started) line("@omp teamthreads %s %d", runtimes[r].name, n);
    }
    line("@omp done %d %d", step_count, failed);
    return failed ? 1 : 0;
}
