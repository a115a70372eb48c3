#ifndef OPENMP_SHIMS_H
#define OPENMP_SHIMS_H
#include <sys/types.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Makes the calling process a child subreaper (Linux), so orphaned descendants
/// are reparented to it and can be reaped. Returns 0 on success, -1 elsewhere.
int omp_shim_set_child_subreaper(void);

/// Spawns `path` with `argv`/`envp` as the leader of a new session (and so a new
/// process group), with stdin from /dev/null and stdout/stderr to the given fds.
/// Signals are reset to default and unblocked in the child. Returns 0 or an errno.
int omp_shim_spawn_session(pid_t *pid, const char *path, char *const argv[],
                           char *const envp[], int stdout_fd, int stderr_fd);

/// pidfd_open(2), or -1 with errno where the kernel lacks it.
int omp_shim_pidfd_open(pid_t pid);

/// dladdr(3): the load base of the object that defines `addr`, or 0.
uintptr_t omp_shim_object_base(const void *addr);

/// memmem(3): whether `needle` occurs in the first `n` bytes of `hay`.
int omp_shim_contains(const void *hay, size_t n, const char *needle);

/// The C library's version (glibc: gnu_get_libc_version), or "unknown".
const char *omp_shim_libc_version(void);

/// Sets FD_CLOEXEC and O_NONBLOCK on a descriptor.
int omp_shim_cloexec_nonblock(int fd);

#ifdef __cplusplus
}
#endif
#endif
