// The probe's OMPT tool: observes which OpenMP runtimes start, from the runtimes themselves.
//
// Every LLVM libomp and Intel libiomp5 calls a global `ompt_start_tool` (OpenMP 5.0, OMPT);
// when it returns a tool, the runtime calls the tool's `initialize` from its own
// initialisation, with a lookup function of its own. `dladdr` of that function names the
// runtime that started. The tool then answers 0, which turns OMPT off in that runtime again:
// no callback is registered, nothing else of the runtime changes.
//
// omp-probe opens this library with RTLD_GLOBAL before any runtime (an executable does not
// export its symbols to libraries it opens unless linked with --export-dynamic). Built by the
// kit with the C compiler (ProbeTool.swift); `swift build` only compile-checks it.
#define _GNU_SOURCE
#include "probe_tool.h"
#include <dlfcn.h>
#include <stdatomic.h>
#include <stddef.h>

#define OMP_PROBE_TOOL_MAX 32

typedef struct {
    _Atomic int count;
    _Atomic uintptr_t bases[OMP_PROBE_TOOL_MAX];
} omp_probe_tool_list;

static omp_probe_tool_list started;

static void note(omp_probe_tool_list *list, const void *address) {
    Dl_info info;
    if (!address || !dladdr(address, &info) || !info.dli_fbase) return;
    uintptr_t base = (uintptr_t)info.dli_fbase;
    int n = atomic_load(&list->count);
    for (int i = 0; i < n && i < OMP_PROBE_TOOL_MAX; i++)
        if (atomic_load(&list->bases[i]) == base) return;
    int slot = atomic_fetch_add(&list->count, 1);
    if (slot < OMP_PROBE_TOOL_MAX) atomic_store(&list->bases[slot], base);
}

static int copy(omp_probe_tool_list *list, uintptr_t *bases, int capacity) {
    int n = atomic_load(&list->count);
    if (n > OMP_PROBE_TOOL_MAX) n = OMP_PROBE_TOOL_MAX;
    for (int i = 0; i < n && i < capacity; i++) bases[i] = atomic_load(&list->bases[i]);
    return n;
}

// The OMPT types this needs, spelled out (omp-tools.h is not on every system).
typedef void (*omp_probe_fn)(void);
typedef omp_probe_fn (*omp_probe_lookup)(const char *);
typedef union { uint64_t value; void *ptr; } omp_probe_data;
typedef int (*omp_probe_initialize)(omp_probe_lookup, int, omp_probe_data *);
typedef void (*omp_probe_finalize)(omp_probe_data *);
typedef struct {
    omp_probe_initialize initialize;
    omp_probe_finalize finalize;
    omp_probe_data tool_data;
} omp_probe_start_result;

static int tool_initialize(omp_probe_lookup lookup, int device, omp_probe_data *data) {
    (void)device; (void)data;
    note(&started, (const void *)lookup);
    return 0; // OMPT off again in this runtime
}

static void tool_finalize(omp_probe_data *data) { (void)data; }

// One result per runtime that asks: a runtime may write tool_data.
static omp_probe_start_result results[OMP_PROBE_TOOL_MAX];
static _Atomic int results_used;

__attribute__((visibility("default")))
omp_probe_start_result *ompt_start_tool(unsigned int omp_version, const char *runtime_version) {
    (void)omp_version; (void)runtime_version;
    int slot = atomic_fetch_add(&results_used, 1);
    if (slot >= OMP_PROBE_TOOL_MAX) return NULL;
    results[slot].initialize = tool_initialize;
    results[slot].finalize = tool_finalize;
    results[slot].tool_data.value = 0;
    return &results[slot];
}

__attribute__((visibility("default")))
int omp_probe_tool_started(uintptr_t *bases, int capacity) { return copy(&started, bases, capacity); }
