// Test-only fault fixture: the real probe engine with one deliberate fault, chosen by
// OMP_FIXTURE. `omp-probe` itself has no fault flags and the engine no test hooks: the
// faults live only here, in what the fixture hands the engine as its two dependencies,
// the runtime opener (a runtime adapter that miscomputes) and the record writer (which
// acts when a step's `end` record or the `done` record goes out).
//
//   OMP_FIXTURE=MODE[:N] omp-fixture <omp-probe arguments...>
//
// MODE: wrong-result | segv:N | sigkill:N | exit:N (exit 7 after step N) | flood-stdout:MB |
//       flood-stderr:MB | fork-ignore-term | spin-after-done | sleep:N (hang in step N)
#if canImport(Glibc)
import Glibc
#endif
import OMPPlan
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
var wrongResult = false
var afterStep: ((Int) -> Void)?
var afterDone: (() -> Void)?

/// The real runtime, except that the second thread's share of every parallel loop loses
/// its last element, so results differ from the serial reference.
struct DroppingRuntime: ParallelRuntime {
    let base: any ParallelRuntime
    var name: String { base.name }
    func initialize() -> Int32 { base.initialize() }
    func parallelFor(_ count: Int, _ body: (Range<Int>, Int) -> Void) -> Int {
        base.parallelFor(count) { r, tid in
            let share = tid == 1 ? r.dropLast() : r
            if !share.isEmpty { body(share, tid) }
        }
    }
}

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
    wrongResult = true
case "segv":
    afterStep = { s in if s == n { raise(SIGSEGV) } }
case "sigkill":
    afterStep = { s in if s == n { raise(SIGKILL) } }
case "exit":
    afterStep = { s in if s == n { exit(7) } }
case "flood-stdout":
    afterStep = { s in if s == 1 { flood(1, megabytes: n) } }
case "flood-stderr":
    afterStep = { s in if s == 1 { flood(2, megabytes: n) } }
case "fork-ignore-term":
    afterStep = { s in if s == 1 { spawnTermIgnoringChild() } }
case "spin-after-done":
    afterDone = { var x = 0; while true { x &+= 1 } }
case "spin-after-done-once":
    // Hangs at exit only in the first run: the first creates the file OMP_FIXTURE_MARK names.
    let mark = getenv("OMP_FIXTURE_MARK").map { String(cString: $0) } ?? ""
    if !mark.isEmpty, open(mark, O_CREAT | O_EXCL | O_WRONLY, 0o600) >= 0 {
        afterDone = { var x = 0; while true { x &+= 1 } }
    }
case "sleep":
    afterStep = { s in if s == n { while true { sleep(1000) } } }
default:
    say("omp-fixture: unknown mode '\(mode)'")
    exit(2)
}
let status = ProbeEngine.main(args, open: { name, path throws(LoadedRuntime.LoadError) in
    let rt = try ProbeEngine.openByPath(name, path)
    return wrongResult ? DroppingRuntime(base: rt) : rt
}, report: { kind, fields in
    ProbeEngine.writeRecord(kind, fields)
    if kind == .end, let step = Int(fields) { afterStep?(step) }
    if kind == .done { afterDone?() }
})
exit(status)
