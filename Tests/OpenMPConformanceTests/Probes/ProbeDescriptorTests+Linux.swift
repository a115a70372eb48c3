#if os(Linux)
import Foundation
import Testing
@testable import OpenMPConformance

// Linux only (the whole file): a probe's open descriptors are read from /proc/<pid>/fd.
/// A probe holds stdin, stdout, stderr and its lifeline, nothing else of the process that ran
/// it: not another probe's pipe, not a file the kit is writing. A descriptor the runner opened
/// without close-on-exec is the case a plain posix_spawn would pass on.
@Suite("Descriptors a probe inherits")
struct ProbeDescriptorTests {
    @Test("a runner descriptor without close-on-exec does not reach the probe; its lifeline is descriptor 3")
    func onlyItsOwn() async throws {
        let null = open("/dev/null", O_RDONLY)
        try #require(null >= 0)
        // F_DUPFD leaves close-on-exec off; a high number, so the probe's shell cannot own it by chance.
        let leaked = fcntl(null, F_DUPFD, 300)
        close(null)
        try #require(leaked >= 300, "F_DUPFD: \(String(cString: strerror(errno)))")
        defer { close(leaked) }
        let script = """
        [ -e /proc/$$/fd/\(leaked) ] && echo inherited || echo absent
        echo "lifeline=$\(Supervisor.lifelineName)"
        readlink /proc/$$/fd/3
        """
        let r = await Probe.run(.init(command: .external(["/bin/sh", "-c", script]), timeout: .seconds(10)))
        #expect(r.outcome == .pass, "\(r.outcome): \(r.message.text)")
        let lines = r.stdout.text.split(separator: "\n").map(String.init)
        #expect(lines.first == "absent", "descriptor \(leaked) of the runner reached the probe: \(lines)")
        #expect(lines.dropFirst().first == "lifeline=3", "\(lines)")
        #expect(lines.dropFirst(2).first?.hasPrefix("pipe:") == true, "descriptor 3 is not the lifeline pipe: \(lines)")
    }
}
#endif
