// Calls every function of the C shim, so that linking it for macOS resolves each Darwin
// symbol the shim uses against the SDK's libSystem stubs. Never run on Linux.
#include "_OpenMPShims.h"
#include <signal.h>
#include <stdio.h>

int main(int argc, char **argv) {
    (void)argc;
    char buf[64];
    omp_shim_process procs[4];
    omp_shim_region region;
    pid_t none[1] = {0};
    pid_t pid = 0;
    int n = 0;
    n += omp_shim_set_child_subreaper();
    n += omp_shim_spawn_session(&pid, "/usr/bin/true", argv, NULL, 1, 2, -1);
    n += omp_shim_pidfd_open(pid);
    n += omp_shim_exit_fd_open(pid);
    n += omp_shim_cloexec_nonblock(1);
    n += (int)omp_shim_object_base((const void *)&main);
    n += omp_shim_contains("abc", 3, "b");
    n += (int)omp_shim_libc_version()[0];
    n += omp_shim_process_list(procs, 4);
    n += omp_shim_process_state(pid);
    n += omp_shim_kill_session(pid, SIGTERM, none, 0);
    n += omp_shim_image_count();
    n += omp_shim_image_name(0) != NULL;
    n += (int)omp_shim_image_base(0);
    n += omp_shim_region_at(pid, 0, &region);
    n += omp_shim_signal_abbrev(SIGBUS, buf, sizeof buf);
    n += omp_shim_cpu_brand(buf, sizeof buf);
    printf("%d\n", n);
    return 0;
}
