// The kit's exit-begun signal for `omp-matrix doctor -- COMMAND`. No public API: preloaded,
// it appends "exit <pid>" to the file named by OMPCONF_DOCTOR_LOG as soon as exit begins.
#pragma once
