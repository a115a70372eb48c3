// The BLAS the probes call: OpenBLAS on Linux, Accelerate on Apple platforms.
//
// macOS uses Accelerate (vecLib's cblas_sgemm): it ships with the OS, so nothing is
// installed, and it is the BLAS that the torch and numpy wheels for macOS use as well.
// OpenBLAS through Homebrew would need a provider, pkg-config, and a second OpenMP-free
// threading layer to keep out of the matrix. Accelerate chooses its kernels (and, on Apple
// silicon, the matrix coprocessor) itself: `omp_blas_corename` says "accelerate".
#ifndef COPENBLAS_SHIM_H
#define COPENBLAS_SHIM_H

#ifdef __APPLE__
#include <Accelerate/Accelerate.h>

static inline const char *omp_blas_corename(void) { return "accelerate"; }
static inline const char *omp_blas_config(void) { return "Accelerate.framework (vecLib BLAS)"; }
/// Accelerate takes no thread count at run time (VECLIB_MAXIMUM_THREADS caps it at load).
static inline void omp_blas_set_num_threads(int n) { (void)n; }
/// -1: Accelerate decides its threads itself.
static inline int omp_blas_get_num_threads(void) { return -1; }
#else
#include <cblas.h>
char *openblas_get_corename(void);
char *openblas_get_config(void);
void openblas_set_num_threads(int);
int openblas_get_num_threads(void);

static inline const char *omp_blas_corename(void) { return openblas_get_corename(); }
static inline const char *omp_blas_config(void) { return openblas_get_config(); }
static inline void omp_blas_set_num_threads(int n) { openblas_set_num_threads(n); }
static inline int omp_blas_get_num_threads(void) { return openblas_get_num_threads(); }
#endif

#endif
