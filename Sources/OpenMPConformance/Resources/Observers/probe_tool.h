#ifndef OMP_PROBE_TOOL_H
#define OMP_PROBE_TOOL_H
#include <stdint.h>

/// The probe's OMPT tool (see tool.c). omp-probe opens it with RTLD_GLOBAL before any runtime,
/// so each LLVM or Intel runtime it loads finds `ompt_start_tool` here.

/// Load bases (dladdr's dli_fbase) of the runtimes whose own initialisation ran the tool's `initialize` callback:
/// the runtime started. Fills up to `capacity`; returns how many there are.
int omp_probe_tool_started(uintptr_t *bases, int capacity);

#endif
