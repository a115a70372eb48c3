// LD_AUDIT observer: the dynamic loader calls la_objopen for every object it maps, in this
// process and (the variable being inherited) in every child that execs a dynamically linked
// program. Each call appends one line to the file named by OMPCONF_DOCTOR_LOG:
//     open <pid> <path>
// A single write(2) of a line with O_APPEND keeps lines of concurrent processes whole; each
// record starts with a newline of its own, so bytes without a newline that something else wrote
// into the file cannot glue onto it. A path given relative to the working directory
// (dlopen("lib/libomp.so.5"), ctypes.CDLL of a relative path) is recorded absolute: the loader
// opened it relative to the working directory of this moment, which is read here.
// Runs inside the loader's audit namespace: only async-signal-safe libc calls, no malloc.
#if defined(__linux__)
#define _GNU_SOURCE
#include <fcntl.h>
#include <link.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int log_fd = -1;

static void put_number(char *buf, size_t *n, size_t cap, long v) {
    char digits[24];
    int k = 0;
    if (v == 0) digits[k++] = '0';
    while (v > 0 && k < 23) { digits[k++] = (char)('0' + v % 10); v /= 10; }
    while (k > 0 && *n < cap) buf[(*n)++] = digits[--k];
}

static void record(const char *kind, const char *dir, const char *path) {
    if (log_fd < 0) return;
    char line[8192];
    size_t n = 0, cap = sizeof line - 1;
    line[n++] = '\n';
    for (const char *p = kind; *p && n < cap; p++) line[n++] = *p;
    if (n < cap) line[n++] = ' ';
    put_number(line, &n, cap, (long)getpid());
    if (n < cap) line[n++] = ' ';
    if (dir) {
        for (const char *p = dir; *p && n < cap; p++) line[n++] = (*p == '\n') ? '?' : *p;
        if (n < cap) line[n++] = '/';
    }
    for (const char *p = path; *p && n < cap; p++) line[n++] = (*p == '\n') ? '?' : *p;
    line[n++] = '\n';
    ssize_t w = write(log_fd, line, n);
    (void)w;
}

unsigned int la_version(unsigned int version) {
    const char *path = getenv("OMPCONF_DOCTOR_LOG");
    if (path && *path) log_fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    // Version 1 is understood by every glibc that has LD_AUDIT; ask for no more than the loader offers.
    return version < LAV_CURRENT ? version : LAV_CURRENT;
}

unsigned int la_objopen(struct link_map *map, Lmid_t lmid, uintptr_t *cookie) {
    (void)lmid; (void)cookie;
    if (!map || !map->l_name || !map->l_name[0]) return 0; // the main program, the vDSO
    if (map->l_name[0] == '/') {
        record("open", 0, map->l_name);
    } else if (strchr(map->l_name, '/')) {
        char cwd[4096];
        if (getcwd(cwd, sizeof cwd)) record("open", cwd, map->l_name);
    }
    return 0; // no symbol binding callbacks: observing costs nothing after load
}
#endif
