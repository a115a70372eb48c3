// The exit-begun signal, preloaded into the user's command by the kit (LD_PRELOAD).
//
// A user's command cannot say "my work is done", so a process that never ends could be
// stuck in its work (hang) or in exit (hang-at-exit). This library tells them apart: it
// appends "exit <pid>" to the file named by OMPCONF_DOCTOR_LOG when exit begins.
//
// exit(3) runs the handlers registered with atexit/__cxa_atexit last-registered first,
// then the loader's destructors. An OpenMP runtime registers its own shutdown handler
// when it initializes, later than any constructor of ours, so a handler registered once
// at load time would run after it, too late to report an exit that hangs inside it.
// So __cxa_atexit is interposed: every handler registered by anyone is wrapped, and the
// first wrapper to run writes the record before calling the handler it wraps. A handler
// registered at load time and a destructor cover programs that register none.
// A handler run by dlclose (__cxa_finalize of one library) is not exit: the wrapper
// records only when the handle is the main program's or when no dlclose is under way.
#if defined(__linux__)
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

static atomic_int recorded = 0;
static int log_fd = -1;
static _Thread_local int in_finalize = 0;

static void open_log(void) {
    if (log_fd >= 0) return;
    const char *path = getenv("OMPCONF_DOCTOR_LOG");
    if (path && *path) log_fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
}

static void record_exit(void) {
    if (in_finalize) return;
    if (atomic_exchange(&recorded, 1)) return;
    open_log();
    if (log_fd < 0) return;
    // A newline first: the record starts a line of its own whatever precedes it in the file.
    char line[40] = "\nexit ";
    size_t n = 6;
    char digits[24];
    int k = 0;
    long v = (long)getpid();
    if (v == 0) digits[k++] = '0';
    while (v > 0 && k < 23) { digits[k++] = (char)('0' + v % 10); v /= 10; }
    while (k > 0) line[n++] = digits[--k];
    line[n++] = '\n';
    ssize_t w = write(log_fd, line, n);
    (void)w;
}

struct wrapped { void (*fn)(void *); void *arg; };

static void run_wrapped(void *p) {
    struct wrapped *w = p;
    record_exit();
    w->fn(w->arg);
}

typedef int (*cxa_atexit_fn)(void (*)(void *), void *, void *);
typedef void (*cxa_finalize_fn)(void *);

int __cxa_atexit(void (*fn)(void *), void *arg, void *dso) {
    static cxa_atexit_fn real = 0;
    if (!real) real = (cxa_atexit_fn)dlsym(RTLD_NEXT, "__cxa_atexit");
    if (!real) return -1;
    struct wrapped *w = malloc(sizeof *w);
    if (!w) return real(fn, arg, dso);
    w->fn = fn; w->arg = arg; // freed never: handlers live until exit
    return real(run_wrapped, w, dso);
}

void __cxa_finalize(void *dso) {
    static cxa_finalize_fn real = 0;
    if (!real) real = (cxa_finalize_fn)dlsym(RTLD_NEXT, "__cxa_finalize");
    // dso == NULL is exit itself; a library's handle is a dlclose.
    if (dso) in_finalize++;
    if (real) real(dso);
    if (dso) in_finalize--;
}

static void at_exit_handler(void) { record_exit(); }

__attribute__((constructor)) static void exit_hook_init(void) {
    open_log();
    atexit(at_exit_handler);
}

__attribute__((destructor)) static void exit_hook_fini(void) { record_exit(); }
#endif
