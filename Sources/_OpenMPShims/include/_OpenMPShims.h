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
/// Signals are reset to default and unblocked in the child. `lifeline_fd`, when >= 0, reaches
/// the child as descriptor 3. No other descriptor of this process reaches it (macOS:
/// POSIX_SPAWN_CLOEXEC_DEFAULT; Linux with glibc 2.34 or later: closefrom 4 in the child), so a
/// probe never holds another probe's pipe or a file the kit is writing. Returns 0 or an errno.
int omp_shim_spawn_session(pid_t *pid, const char *path, char *const argv[],
                           char *const envp[], int stdout_fd, int stderr_fd, int lifeline_fd);
/// ``omp_shim_spawn_session`` with the child's working directory set to `cwd` before it execs
/// (NULL: this process's; a relative `path` is then resolved in `cwd`). Returns 0 or an errno
/// (that of the directory change when `cwd` cannot be entered).
int omp_shim_spawn_session_in(pid_t *pid, const char *path, char *const argv[], char *const envp[],
                              int stdout_fd, int stderr_fd, int lifeline_fd, const char *cwd);

/// pidfd_open(2), or -1 with errno where the kernel lacks it.
int omp_shim_pidfd_open(pid_t pid);

/// dladdr(3): the load base of the object that defines `addr`, or 0.
uintptr_t omp_shim_object_base(const void *addr);

/// memmem(3): whether `needle` occurs in the first `n` bytes of `hay`.
int omp_shim_contains(const void *hay, size_t n, const char *needle);
/// Index of the first line end (`\n` or `\r`) in `buf`, or `n` when there is none.
size_t omp_shim_line_end(const void *buf, size_t n);
/// Index of the last occurrence of `needle` in `hay`, or -1.
long omp_shim_last_index(const void *hay, size_t n, const char *needle);

/// The C library's version (glibc: gnu_get_libc_version), or "unknown".
const char *omp_shim_libc_version(void);

/// Sets FD_CLOEXEC and O_NONBLOCK on a descriptor.
int omp_shim_cloexec_nonblock(int fd);

/// pidfd_open(2) on Linux, or a kqueue watching the process's exit (EVFILT_PROC,
/// NOTE_EXIT) on Apple platforms: a descriptor that poll(2) reports readable once `pid`
/// has exited. -1 with errno where neither exists or the process is already gone.
int omp_shim_exit_fd_open(pid_t pid);

// MARK: Processes (Apple: libproc; elsewhere -1 with errno ENOSYS)

/// One process as the platform lists it. `state` is 'Z' for a zombie, 'T' stopped,
/// 'R' running, 'S' sleeping, 'I' being created.
typedef struct {
    pid_t pid;
    pid_t ppid;
    pid_t pgid;
    /// getsid(2); the process group when the session cannot be read (a zombie's).
    pid_t sid;
    char state;
} omp_shim_process;

/// Fills `out` with up to `capacity` of the processes this user can see
/// (proc_listallpids, then proc_pidinfo PROC_PIDTBSDINFO for each). Returns how many
/// processes exist (call again with more room when that exceeds `capacity`), or -1.
int omp_shim_process_list(omp_shim_process *out, int capacity);

/// The state letter of one process (see omp_shim_process), or 0 when it cannot be read.
char omp_shim_process_state(pid_t pid);

/// Sends `sig` to the process group `sid` (killpg) and then to each pid in `pids`
/// (members that left the group). Returns 0 when killpg succeeded or found no group.
int omp_shim_kill_session(pid_t sid, int sig, const pid_t *pids, int count);

// MARK: Loaded images (Apple: dyld; elsewhere -1 / NULL)

/// _dyld_image_count(): the images loaded into this process, or -1 where dyld is absent.
int omp_shim_image_count(void);
/// _dyld_get_image_name(i), or NULL.
const char *omp_shim_image_name(unsigned int index);
/// _dyld_get_image_header(i) as an address (the value dladdr reports as dli_fbase), or 0.
uintptr_t omp_shim_image_base(unsigned int index);

/// One mapped region of another process (Apple: proc_pidinfo PROC_PIDREGIONPATHINFO).
typedef struct {
    uint64_t start;
    uint64_t size;
    uint64_t offset;
    /// VM_PROT_READ 1, VM_PROT_WRITE 2, VM_PROT_EXECUTE 4.
    int protection;
    uint64_t device;
    uint64_t inode;
    /// Empty for anonymous memory.
    char path[1024];
} omp_shim_region;

/// The first region of `pid` that ends after `address`. Returns 1 when one was found,
/// 0 past the last region, -1 with errno (ESRCH, EPERM, ENOSYS, ...).
int omp_shim_region_at(pid_t pid, uint64_t address, omp_shim_region *out);

// MARK: Host facts

/// The signal's name without "SIG" in upper case ("BUS"), from the C library:
/// sigabbrev_np (glibc 2.32 or later) or sys_signame (Apple). Returns 0, or -1 when the
/// library has no name for `sig` (or no such table).
int omp_shim_signal_abbrev(int sig, char *buf, size_t size);

/// The CPU's marketing name (Apple: sysctl machdep.cpu.brand_string). 0 or -1.
int omp_shim_cpu_brand(char *buf, size_t size);


/// Guards a read-only file mapping: a read past the end of a file that shrank while mapped
/// (SIGBUS) is answered with a page of zeros instead of killing the process, and the slot
/// records that it happened. Returns a slot for the two calls below, or -1 (then unguarded).
int omp_shim_guard_mapping(const void *start, size_t length);
/// 1 when a guarded mapping faulted (its file shrank), else 0.
int omp_shim_guard_faulted(int slot);
/// Ends the guard; call before unmapping.
void omp_shim_unguard_mapping(int slot);

#ifdef __cplusplus
}
#endif
#endif
