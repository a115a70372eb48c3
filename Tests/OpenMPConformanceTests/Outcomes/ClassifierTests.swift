import Foundation
import OMPPlan
import Testing
@testable import OpenMPConformance

/// The classifier replayed on stdout/stderr captured from real runs by
/// `Scripts/capture-classifier-samples.sh`; each sample's `.meta` says where it came from.
@Suite("Classifier on captured samples")
struct ClassifierTests {
    struct Sample: CustomTestStringConvertible, Sendable {
        var name: String, expected: String, exitStatus: Int32, steps: Int, stdout: String, stderr: String
        var testDescription: String { name }
    }

    static let dir = TestRuntimes.root + "/Tests/OpenMPConformanceTests/Samples"

    static let samples: [Sample] = {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".meta") }.sorted()
        return names.compactMap { n in
            let base = dir + "/" + String(n.dropLast(5))
            guard let meta = try? String(contentsOfFile: base + ".meta", encoding: .utf8) else { return nil }
            var f: [String: String] = [:]
            for l in meta.split(separator: "\n") {
                let kv = l.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if kv.count == 2, f[kv[0]] == nil { f[kv[0]] = kv[1] }
            }
            let steps = (f["steps"] ?? "").split(separator: ";").count
            return Sample(name: f["name"] ?? n, expected: f["expected"] ?? "", exitStatus: Int32(f["exit-status"] ?? "") ?? -1,
                          steps: steps, stdout: (try? String(contentsOfFile: base + ".stdout", encoding: .utf8)) ?? "",
                          stderr: (try? String(contentsOfFile: base + ".stderr", encoding: .utf8)) ?? "")
        }
    }()

    @Test("the samples are in the repo")
    func present() { #expect(Self.samples.count >= 6) }

    @Test("each captured sample classifies as a person expects", arguments: samples)
    func replay(_ s: Sample) throws {
        var t = ProbeTranscript()
        t.feed(stdout: s.stdout, stderr: s.stderr)
        // Shell exit status: 128+N is signal N; `timeout -s KILL` gives 137 for a process still running.
        let killed = s.exitStatus == 137
        let signal: Int32? = s.exitStatus > 128 && !killed ? s.exitStatus - 128 : nil
        let code: Int32? = s.exitStatus <= 128 ? s.exitStatus : nil
        let obs = t.observation(stepsTotal: s.steps, exitCode: code, signal: signal,
                                killedBy: killed ? (t.done ? .exitGrace : .timeout) : nil)
        let (outcome, message) = Classifier.classify(obs)
        #expect(outcome.rawValue == s.expected, "\(s.name): \(outcome) — \(message.text)")
        if outcome == .duplicateRuntimeAbort {
            #expect(message.initializing != nil && message.found != nil)
        }
    }

    @Test("rule order: Error #15 wins over the signal; a killed finished probe is hang-at-exit even with Error #13")
    func order() {
        let abort = Classifier.classify(.init(ompLines: ["OMP: Error #15: Initializing libiomp5.so, but found libomp.so.5 already initialized."],
                                              stepsCompleted: 3, stepsTotal: 4, signal: 6))
        #expect(abort.0 == .duplicateRuntimeAbort)
        #expect(abort.1.initializing == "libiomp5.so" && abort.1.found == "libomp.so.5")
        let exitHang = Classifier.classify(.init(ompLines: ["OMP: Error #13: Assertion failure at kmp_runtime.cpp(6918)."],
                                                 stepsCompleted: 4, stepsTotal: 4, reportedDone: true, killedBy: .exitGrace))
        #expect(exitHang.0 == .hangAtExit)
        let assertion = Classifier.classify(.init(ompLines: ["OMP: Error #13: Assertion failure"], stepsCompleted: 4, stepsTotal: 4,
                                                  reportedDone: true, signal: 6))
        #expect(assertion.0 == .runtimeError)
        let wrong = Classifier.classify(.init(stepsCompleted: 2, stepsTotal: 2, reportedDone: true, failedChecks: ["x"], exitCode: 1))
        #expect(wrong.0 == .wrongResult)
        let early = Classifier.classify(.init(stepsCompleted: 1, stepsTotal: 2, exitCode: 0))
        #expect(early.0 == .exitNonzero)
        let pass = Classifier.classify(.init(stepsCompleted: 2, stepsTotal: 2, reportedDone: true, exitCode: 0))
        #expect(pass.0 == .pass)
    }

    @Test("one live capture classifies like its sample", .enabled(if: TestRuntimes.available, "runtimes not provisioned"), .tags(.probes))
    func live() async throws {
        let p = try #require(TestRuntimes.kmpPairs.first, Comment(rawValue: TestRuntimes.missingReason))
        let r = await Probe.run(.init(runtimes: TestRuntimes.bindings([p.a, p.b]), plan: try .parse("load a; init a; load b; init b")))
        var t = ProbeTranscript()
        t.feed(stdout: r.stdout.text, stderr: r.stderr.text)
        let killedBy = try r.ending.killedBy.map { try #require(Classifier.KillReason(rawValue: $0)) }
        let (o, _) = Classifier.classify(t.observation(stepsTotal: 4, exitCode: r.ending.code, signal: r.ending.signal, killedBy: killedBy))
        #expect(o == r.outcome && o == .duplicateRuntimeAbort)
    }
}
