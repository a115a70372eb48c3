// The kit's LD_AUDIT observer for `omp-matrix doctor -- COMMAND`. No public API: the dynamic
// loader calls la_version and la_objopen; the records go to the file named by
// OMPCONF_DOCTOR_LOG, one line per loaded object: "open <pid> <path>".
#pragma once
