import Foundation
import Testing
@testable import OpenMPConformance
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("Signal names come from the platform")
struct SignalNameTests {
    /// The platform's own constants, whatever their numbers are here.
    @Test("each signal constant gets its own name", arguments: [
        (SIGHUP, "SIGHUP"), (SIGINT, "SIGINT"), (SIGQUIT, "SIGQUIT"), (SIGILL, "SIGILL"), (SIGTRAP, "SIGTRAP"),
        (SIGABRT, "SIGABRT"), (SIGBUS, "SIGBUS"), (SIGFPE, "SIGFPE"), (SIGKILL, "SIGKILL"), (SIGUSR1, "SIGUSR1"),
        (SIGSEGV, "SIGSEGV"), (SIGUSR2, "SIGUSR2"), (SIGPIPE, "SIGPIPE"), (SIGALRM, "SIGALRM"), (SIGTERM, "SIGTERM"),
        (SIGCHLD, "SIGCHLD"), (SIGSYS, "SIGSYS"), (SIGXCPU, "SIGXCPU"),
    ])
    func constants(_ number: Int32, _ name: String) {
        #expect(Classifier.signalName(number) == name)
    }

    @Test("a number with no name is said as a number")
    func unnamed() {
        #expect(Classifier.signalName(0) == "signal 0")
        #expect(Classifier.signalName(4000) == "signal 4000")
        #expect(Classifier.signalName(-3) == "signal -3")
    }

    #if os(Linux)
    @Test("Linux numbers: 7 is SIGBUS, 10 SIGUSR1, 31 SIGSYS", arguments: [(7, "SIGBUS"), (10, "SIGUSR1"), (31, "SIGSYS"), (17, "SIGCHLD")])
    func linuxNumbers(_ number: Int32, _ name: String) {
        #expect(Classifier.signalName(number) == name)
    }
    #endif

    #if canImport(Darwin)
    @Test("macOS numbers: 7 is SIGEMT, 10 SIGBUS, 12 SIGSYS", arguments: [(7, "SIGEMT"), (10, "SIGBUS"), (12, "SIGSYS"), (20, "SIGCHLD")])
    func darwinNumbers(_ number: Int32, _ name: String) {
        #expect(Classifier.signalName(number) == name)
    }
    #endif
}
