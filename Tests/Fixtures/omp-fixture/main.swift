// Test-only fault fixture: the real probe engine with one deliberate fault, chosen by the
// first argument. `omp-probe` itself has no fault flags; faults live only here.
//
//   OMP_FIXTURE=MODE[:N] omp-fixture <omp-probe arguments...>
//
// MODE: wrong-result | segv:N | sigkill:N | exit:N (exit 7 after step N) | flood-stdout:MB |
//       flood-stderr:MB | fork-ignore-term | spin-after-done | sleep:N (hang in step N)
#if canImport(Glibc)
import Glibc
#endif
import OMPProbeCore

func say(_ s: String) {
    var s = s + "\n"
    s.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}

let args = CommandLine.arguments
guard let modeText = getenv("OMP_FIXTURE").map({ String(cString: $0) }) else {
    say("usage: OMP_FIXTURE=MODE[:N] omp-fixture <omp-probe arguments>")
    exit(2)
}
let spec = modeText.split(separator: ":", maxSplits: 1).map(String.init)
let mode = spec[0]
let n = spec.count > 1 ? Int(spec[1]) ?? 1 : 1
var hooks = ProbeEngine.Hooks()

func flood(_ fd: Int32, megabytes: Int) {
    let line = [UInt8](repeating: 120, count: 1023) + [10]
    let block = Array(repeating: line, count: 64).flatMap { $0 }
    for _ in 0..<(megabytes * 16) {
        _ = block.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }
}

func spawnTermIgnoringChild() {
    var pid: pid_t = 0
    let argv = ["/bin/sh", "-c", "trap '' TERM; while :; do sleep 1; done"]
    var cargs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
    _ = posix_spawn(&pid, "/bin/sh", nil, nil, &cargs, environ)
    say("fixture: spawned \(pid), which ignores SIGTERM")
}

switch mode {
case "wrong-result":
    hooks.corruptParallelLoops = true
case "segv":
    hooks.afterStep = { s in if s == n { raise(SIGSEGV) } }
case "sigkill":
    hooks.afterStep = { s in if s == n { raise(SIGKILL) } }
case "exit":
    hooks.afterStep = { s in if s == n { exit(7) } }
case "flood-stdout":
    hooks.afterStep = { s in if s == 1 { flood(1, megabytes: n) } }
case "flood-stderr":
    hooks.afterStep = { s in if s == 1 { flood(2, megabytes: n) } }
case "fork-ignore-term":
    hooks.afterStep = { s in if s == 1 { spawnTermIgnoringChild() } }
case "spin-after-done":
    hooks.beforeExit = { var x = 0; while true { x &+= 1 } }
case "sleep":
    hooks.afterStep = { s in if s == n { while true { sleep(1000) } } }
default:
    say("omp-fixture: unknown mode '\(mode)'")
    exit(2)
}
exit(ProbeEngine.main(args, hooks: hooks))
