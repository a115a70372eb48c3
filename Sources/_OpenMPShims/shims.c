#define _GNU_SOURCE
#include "_OpenMPShims.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <unistd.h>
#include <dlfcn.h>
#include <string.h>
#ifdef __GLIBC__
#include <gnu/libc-version.h>
#endif
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#ifdef __linux__
#include <sys/prctl.h>
#include <sys/syscall.h>
#endif
#ifdef __APPLE__
#include <libproc.h>
#include <sys/spawn.h>
#ifndef POSIX_SPAWN_SETSID
#error "the macOS SDK lacks POSIX_SPAWN_SETSID (macOS 10.15 or later): probes must start in their own session"
#endif
#include <mach-o/dyld.h>
#include <sys/event.h>
#include <sys/proc_info.h>
#include <sys/sysctl.h>
#endif

int omp_shim_set_child_subreaper(void) {
#if defined(__linux__) && defined(PR_SET_CHILD_SUBREAPER)
    return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
#else
    errno = ENOSYS;
    return -1;
#endif
}

int omp_shim_spawn_session(pid_t *pid, const char *path, char *const argv[],
                           char *const envp[], int stdout_fd, int stderr_fd, int lifeline_fd) {
    return omp_shim_spawn_session_in(pid, path, argv, envp, stdout_fd, stderr_fd, lifeline_fd, NULL);
}

int omp_shim_spawn_session_in(pid_t *pid, const char *path, char *const argv[], char *const envp[],
                              int stdout_fd, int stderr_fd, int lifeline_fd, const char *cwd) {
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    int rc = posix_spawn_file_actions_init(&fa);
    if (rc != 0) return rc;
    rc = posix_spawnattr_init(&at);
    if (rc != 0) { posix_spawn_file_actions_destroy(&fa); return rc; }
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, stdout_fd, 1);
    posix_spawn_file_actions_adddup2(&fa, stderr_fd, 2);
    if (lifeline_fd >= 0) {
        posix_spawn_file_actions_adddup2(&fa, lifeline_fd, 3);
#ifdef __APPLE__
        // Kept under POSIX_SPAWN_CLOEXEC_DEFAULT, also when lifeline_fd is already 3.
        posix_spawn_file_actions_addinherit_np(&fa, 3);
#endif
    }
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
    posix_spawn_file_actions_addclosefrom_np(&fa, lifeline_fd >= 0 ? 4 : 3);
#endif
    if (cwd != NULL) {
#if (defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 29))) || defined(__APPLE__)
        rc = posix_spawn_file_actions_addchdir_np(&fa, cwd);
#else
        rc = ENOSYS;
#endif
        if (rc != 0) { posix_spawn_file_actions_destroy(&fa); posix_spawnattr_destroy(&at); return rc; }
    }
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&at, &none);
    posix_spawnattr_setsigdefault(&at, &all);
    short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
#ifdef __APPLE__
    // Only the descriptors set up above reach the child.
    flags |= POSIX_SPAWN_CLOEXEC_DEFAULT;
#endif
#ifdef POSIX_SPAWN_SETSID
    flags |= POSIX_SPAWN_SETSID;
#else
    flags |= POSIX_SPAWN_SETPGROUP;
    posix_spawnattr_setpgroup(&at, 0);
#endif
    posix_spawnattr_setflags(&at, flags);
    rc = posix_spawn(pid, path, &fa, &at, argv, envp);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    return rc;
}

int omp_shim_pidfd_open(pid_t pid) {
#if defined(__linux__) && defined(SYS_pidfd_open)
    return (int)syscall(SYS_pidfd_open, pid, 0);
#else
    (void)pid;
    errno = ENOSYS;
    return -1;
#endif
}

int omp_shim_cloexec_nonblock(int fd) {
    int fdf = fcntl(fd, F_GETFD);
    if (fdf < 0 || fcntl(fd, F_SETFD, fdf | FD_CLOEXEC) < 0) return -1;
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) return -1;
    return 0;
}

uintptr_t omp_shim_object_base(const void *addr) {
    Dl_info info;
    if (dladdr(addr, &info) == 0) return 0;
    return (uintptr_t)info.dli_fbase;
}

int omp_shim_contains(const void *hay, size_t n, const char *needle) {
    return memmem(hay, n, needle, strlen(needle)) != NULL;
}

size_t omp_shim_line_end(const void *buf, size_t n) {
    const unsigned char *p = buf;
    for (size_t i = 0; i < n; i++) if (p[i] == '\n' || p[i] == '\r') return i;
    return n;
}

long omp_shim_last_index(const void *hay, size_t n, const char *needle) {
    size_t k = strlen(needle);
    long last = -1;
    const char *p = hay, *end = (const char *)hay + n;
    while (p < end) {
        const char *hit = memmem(p, (size_t)(end - p), needle, k);
        if (!hit) break;
        last = (long)(hit - (const char *)hay);
        p = hit + 1;
    }
    return last;
}

const char *omp_shim_libc_version(void) {
#ifdef __GLIBC__
    return gnu_get_libc_version();
#else
    return "unknown";
#endif
}

int omp_shim_exit_fd_open(pid_t pid) {
#if defined(__linux__)
    return omp_shim_pidfd_open(pid);
#elif defined(__APPLE__)
    int kq = kqueue();
    if (kq < 0) return -1;
    struct kevent ev;
    EV_SET(&ev, (uintptr_t)pid, EVFILT_PROC, EV_ADD | EV_ENABLE, NOTE_EXIT, 0, NULL);
    if (kevent(kq, &ev, 1, NULL, 0, NULL) < 0) {
        int e = errno;
        close(kq);
        errno = e;
        return -1;
    }
    return kq;
#else
    (void)pid;
    errno = ENOSYS;
    return -1;
#endif
}

#ifdef __APPLE__
static char omp_shim_state_letter(uint32_t status) {
    switch (status) {
    case SZOMB: return 'Z';
    case SSTOP: return 'T';
    case SRUN: return 'R';
    case SSLEEP: return 'S';
    case SIDL: return 'I';
    default: return '?';
    }
}

static int omp_shim_read_process(pid_t pid, omp_shim_process *out) {
    struct proc_bsdinfo info;
    int n = proc_pidinfo(pid, PROC_PIDTBSDINFO, 0, &info, (int)sizeof info);
    if (n != (int)sizeof info) return -1;
    out->pid = pid;
    out->ppid = (pid_t)info.pbi_ppid;
    out->pgid = (pid_t)info.pbi_pgid;
    pid_t sid = getsid(pid);
    out->sid = sid < 0 ? (pid_t)info.pbi_pgid : sid;
    out->state = omp_shim_state_letter(info.pbi_status);
    return 0;
}
#endif

int omp_shim_process_list(omp_shim_process *out, int capacity) {
#ifdef __APPLE__
    int room = proc_listallpids(NULL, 0);
    if (room <= 0) return -1;
    room += 64; // processes started since
    pid_t *pids = calloc((size_t)room, sizeof(pid_t));
    if (pids == NULL) return -1;
    int n = proc_listallpids(pids, room * (int)sizeof(pid_t));
    if (n < 0) { free(pids); return -1; }
    int count = 0;
    for (int i = 0; i < n && i < room; i++) {
        omp_shim_process p;
        if (pids[i] <= 0 || omp_shim_read_process(pids[i], &p) != 0) continue; // gone since, or not ours to read
        if (count < capacity && out != NULL) out[count] = p;
        count++;
    }
    // Our own children, also those the full list missed (a zombie not yet reaped): the
    // caller reaps them, so they must be seen.
    pid_t me = getpid();
    pid_t kids[256];
    int k = proc_listchildpids(me, kids, (int)sizeof kids);
    for (int i = 0; i < k && i < 256; i++) {
        int seen = 0;
        for (int j = 0; j < n && j < room && !seen; j++) seen = pids[j] == kids[i];
        if (seen || kids[i] <= 0) continue;
        omp_shim_process p;
        if (omp_shim_read_process(kids[i], &p) != 0) {
            p.pid = kids[i]; p.ppid = me; p.pgid = kids[i]; p.sid = kids[i]; p.state = 'Z';
        }
        if (count < capacity && out != NULL) out[count] = p;
        count++;
    }
    free(pids);
    return count;
#else
    (void)out; (void)capacity;
    errno = ENOSYS;
    return -1;
#endif
}

char omp_shim_process_state(pid_t pid) {
#ifdef __APPLE__
    omp_shim_process p;
    return omp_shim_read_process(pid, &p) == 0 ? p.state : 0;
#else
    (void)pid;
    return 0;
#endif
}

int omp_shim_kill_session(pid_t sid, int sig, const pid_t *pids, int count) {
    int rc = killpg(sid, sig);
    if (rc != 0 && errno == ESRCH) rc = 0;
    for (int i = 0; i < count; i++) {
        if (pids[i] > 0) kill(pids[i], sig);
    }
    return rc;
}

int omp_shim_image_count(void) {
#ifdef __APPLE__
    return (int)_dyld_image_count();
#else
    errno = ENOSYS;
    return -1;
#endif
}

const char *omp_shim_image_name(unsigned int index) {
#ifdef __APPLE__
    return _dyld_get_image_name(index);
#else
    (void)index;
    return NULL;
#endif
}

uintptr_t omp_shim_image_base(unsigned int index) {
#ifdef __APPLE__
    return (uintptr_t)_dyld_get_image_header(index);
#else
    (void)index;
    return 0;
#endif
}

int omp_shim_region_at(pid_t pid, uint64_t address, omp_shim_region *out) {
#ifdef __APPLE__
    struct proc_regionwithpathinfo info;
    memset(&info, 0, sizeof info);
    errno = 0;
    int n = proc_pidinfo(pid, PROC_PIDREGIONPATHINFO, address, &info, (int)sizeof info);
    if (n <= 0) {
        // Past the last region the kernel answers EINVAL (or nothing at all).
        if (errno == 0 || errno == EINVAL) return 0;
        return -1;
    }
    out->start = info.prp_prinfo.pri_address;
    out->size = info.prp_prinfo.pri_size;
    out->offset = info.prp_prinfo.pri_offset;
    out->protection = (int)info.prp_prinfo.pri_protection;
    out->device = (uint64_t)info.prp_vip.vip_vi.vi_stat.vst_dev;
    out->inode = (uint64_t)info.prp_vip.vip_vi.vi_stat.vst_ino;
    size_t len = strnlen(info.prp_vip.vip_path, sizeof info.prp_vip.vip_path);
    if (len >= sizeof out->path) len = sizeof out->path - 1;
    memcpy(out->path, info.prp_vip.vip_path, len);
    out->path[len] = 0;
    return 1;
#else
    (void)pid; (void)address; (void)out;
    errno = ENOSYS;
    return -1;
#endif
}

int omp_shim_signal_abbrev(int sig, char *buf, size_t size) {
    const char *name = NULL;
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 32))
    name = sigabbrev_np(sig);
#elif defined(__APPLE__)
    if (sig > 0 && sig < NSIG) name = sys_signame[sig];
#endif
    if (name == NULL || size == 0) return -1;
    size_t i = 0;
    for (; name[i] != 0 && i + 1 < size; i++) buf[i] = (char)toupper((unsigned char)name[i]);
    buf[i] = 0;
    return 0;
}

int omp_shim_cpu_brand(char *buf, size_t size) {
#ifdef __APPLE__
    size_t n = size;
    if (sysctlbyname("machdep.cpu.brand_string", buf, &n, NULL, 0) != 0) return -1;
    if (n == 0 || n > size) return -1;
    buf[n - 1] = 0;
    return 0;
#else
    (void)buf; (void)size;
    errno = ENOSYS;
    return -1;
#endif
}

// MARK: reading mapped files that shrink

#include <signal.h>
#include <stdatomic.h>
#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>

#define OMP_GUARD_SLOTS 256
static struct {
    _Atomic(uintptr_t) start;
    _Atomic(size_t) length;
    atomic_int faulted;
} omp_guard_slots[OMP_GUARD_SLOTS];
static struct sigaction omp_guard_previous;
static pthread_once_t omp_guard_once = PTHREAD_ONCE_INIT;
static int omp_guard_installed;

static void omp_guard_handler(int sig, siginfo_t *info, void *context) {
    uintptr_t a = (uintptr_t)info->si_addr;
    for (int i = 0; i < OMP_GUARD_SLOTS; i++) {
        uintptr_t s = atomic_load(&omp_guard_slots[i].start);
        size_t n = atomic_load(&omp_guard_slots[i].length);
        if (s != 0 && a >= s && a < s + n) {
            long page = sysconf(_SC_PAGESIZE);
            void *p = (void *)(a & ~((uintptr_t)page - 1));
            // The file shrank under the mapping: the missing page reads as zeros from now on.
            if (mmap(p, (size_t)page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != MAP_FAILED) {
                atomic_store(&omp_guard_slots[i].faulted, 1);
                return;
            }
        }
    }
    // Not a guarded mapping: the previous disposition handles the fault when it recurs.
    sigaction(SIGBUS, &omp_guard_previous, NULL);
    (void)sig; (void)context;
}

static void omp_guard_install(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = omp_guard_handler;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    omp_guard_installed = sigaction(SIGBUS, &sa, &omp_guard_previous) == 0;
}

int omp_shim_guard_mapping(const void *start, size_t length) {
    pthread_once(&omp_guard_once, omp_guard_install);
    if (!omp_guard_installed) return -1;
    for (int i = 0; i < OMP_GUARD_SLOTS; i++) {
        uintptr_t expected = 0;
        if (atomic_compare_exchange_strong(&omp_guard_slots[i].start, &expected, (uintptr_t)1)) {
            atomic_store(&omp_guard_slots[i].faulted, 0);
            atomic_store(&omp_guard_slots[i].length, length);
            atomic_store(&omp_guard_slots[i].start, (uintptr_t)start);
            return i;
        }
    }
    return -1;
}

int omp_shim_guard_faulted(int slot) {
    return slot >= 0 && slot < OMP_GUARD_SLOTS ? atomic_load(&omp_guard_slots[slot].faulted) : 0;
}

void omp_shim_unguard_mapping(int slot) {
    if (slot < 0 || slot >= OMP_GUARD_SLOTS) return;
    atomic_store(&omp_guard_slots[slot].length, 0);
    atomic_store(&omp_guard_slots[slot].start, (uintptr_t)0);
}
