import ArgumentParser
import Foundation
import OMPPlan
import OpenMPConformance

/// `omp-matrix probe`: one real probe, classified, as one JSON object.
struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Run one probe: load runtimes by path, run the steps, classify how it ended.",
        discussion: """
        Steps: load NAME; init NAME; setenv VAR=VALUE; unsetenv VAR; parallel NAME; train NAME [steps= dim= batch=]; \
        index NAME [n= dim= queries= k=]; add NAME; search NAME; infer NAME [dim= batch=]; \
        serve A B [requests= threads=]. Exit 0 on pass, 1 on any other outcome, 2 on bad input.
        """
    )

    @Option(name: .customLong("runtime"), help: ArgumentHelp("A runtime to use, as NAME=PATH (repeatable).", valueName: "name=path"))
    var runtimes: [String] = []

    @Option(help: ArgumentHelp("The plan, e.g. 'load a; init a; load b; init b; train a; index b'.", valueName: "plan"))
    var steps: String

    @Option(name: .customLong("env"), help: ArgumentHelp("Extra environment for the probe, NAME=VALUE (repeatable).", valueName: "name=value"))
    var environment: [String] = []

    @Option(help: "Seconds the steps may take before the outcome is 'hang'.")
    var timeout: Double = 20

    @Option(help: "How the probe is started: direct, wrapper-exported, wrapper-assigned, wrapper-env-i.")
    var launcher: String = "direct"

    @Option(name: .customLong("probe"), help: ArgumentHelp("The omp-probe binary to run (default: found automatically; env OMP_PROBE).", valueName: "path"))
    var probeExecutable: String?

    @Option(help: "Output format: json or text.")
    var format: TextOrJSON = .json

    func validate() throws {
        if let why = Duration.timeoutRefusal(timeout, largest: 3600) { throw ValidationError(why) }
        guard Probe.Configuration.Launcher(rawValue: launcher) != nil else {
            throw ValidationError("--launcher must be one of \(Probe.Configuration.Launcher.allCases.map(\.rawValue).joined(separator: ", ")), got '\(launcher)'")
        }
    }

    func run() async throws {
        var bindings: [RuntimeBinding] = []
        for r in runtimes {
            let kv = r.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2, !kv[0].isEmpty, !kv[1].isEmpty else { throw ValidationError("--runtime takes NAME=PATH, got '\(r)'") }
            guard !bindings.contains(where: { $0.name == kv[0] }) else { throw ValidationError("--runtime \(kv[0]) is given twice") }
            bindings.append(RuntimeBinding(name: kv[0], path: kv[1]))
        }
        var env: [String: String] = [:]
        for e in environment {
            let kv = e.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard kv.count == 2, !kv[0].isEmpty else { throw ValidationError("--env takes NAME=VALUE, got '\(e)'") }
            env[kv[0]] = kv[1]
        }
        let plan: Plan
        do {
            plan = try Plan.parse(steps)
            try plan.validate(declared: bindings.map(\.name))
        } catch {
            throw ValidationError("--steps: \(error)")
        }
        guard !plan.steps.isEmpty else { throw ValidationError("--steps: the plan has no steps") }
        let config = Probe.Configuration(runtimes: bindings, plan: plan, environment: env,
                                         launcher: .init(rawValue: launcher)!, timeout: .timeoutOption(seconds: timeout),
                                         executable: probeExecutable)
        let result = await CellRunner.run(config)[0]
        if format == .json {
            let enc = JSONEncoder()
            enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try enc.encode(result), as: UTF8.self))
        } else {
            print(TerminalText.block(TextSummary.probe(result)))
        }
        if result.outcome != .pass { throw ToolExit.unexpected }
    }
}

enum TextSummary {
    static func probe(_ r: ProbeResult) -> String {
        var lines = ["outcome: \(r.outcome.rawValue)", "message: \(r.message.text)",
                     "steps: \(r.stepsCompleted)/\(r.stepsTotal)", String(format: "duration: %.3f s", r.durationSeconds)]
        for m in r.runtimesMapped { lines.append("mapped: \(m.family) \(m.path) (after step \(m.afterStep))") }
        for c in r.checks { lines.append("check: step \(c.step) \(c.name) \(c.passed ? "pass" : "FAIL") — \(c.detail)") }
        if !r.ompErrors.isEmpty { lines.append("omp errors: " + r.ompErrors.map { "#\($0)" }.joined(separator: ", ")) }
        lines.append("repro: \(r.repro)")
        return lines.joined(separator: "\n")
    }
}
