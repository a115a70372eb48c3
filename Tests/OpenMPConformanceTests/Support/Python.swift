import Foundation

/// Python 3 as an independent oracle: `jsonschema` for the results schema, the standard `json`
/// module for the JSON parser. Each call runs one python3 process over a whole batch; input and
/// output go through temporary files (``TestProcess``), so a large batch cannot fill a pipe.
enum Python {
    /// The scripts the tests run (`Tests/Oracles/*.py`).
    static let oracles = TestRuntimes.root + "/Tests/Oracles"

    /// The candidates, in order: Debian's python3 (where `apt-get install python3-jsonschema`
    /// puts the module, as `Scripts/test.sh` does), then the first python3 on PATH.
    static let candidates: [String] = {
        var out = ["/usr/bin/python3"]
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            out.append("\(dir)/python3")
        }
        return out.filter { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// A python3 that can import `module`, or nil.
    static func interpreter(importing module: String) -> String? {
        candidates.first { python in
            (try? run(python, ["-c", "import \(module)"], input: Data()))?.status == 0
        }
    }

    static let withJSONSchema: String? = interpreter(importing: "jsonschema")
    static let withJSON: String? = interpreter(importing: "json")

    static let noJSONSchema = "python3 with the jsonschema module is missing: apt-get install python3-jsonschema (Scripts/test.sh does)"
    static let noPython = "python3 is missing: apt-get install python3"

    struct Run { var status: Int32; var stdout: Data; var stderr: String }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The environment every python3 here runs with.
    static let environment = ["PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8", "PYTHONHASHSEED": "0"]

    /// Runs `python args...` with `input` on stdin; returns its status and output.
    static func run(_ python: String, _ args: [String], input: Data) async throws -> Run {
        let r = try await TestProcess.run([python] + args, environment: environment, input: input)
        return Run(status: r.terminationStatus, stdout: r.stdout, stderr: r.errors)
    }

    /// The blocking form, for static initializers and the synchronous schema tests.
    @available(*, noasync, message: "await Python.run")
    static func run(_ python: String, _ args: [String], input: Data) throws -> Run {
        let r = try TestProcess.run([python] + args, environment: environment, input: input)
        return Run(status: r.terminationStatus, stdout: r.stdout, stderr: r.errors)
    }

    /// Runs an oracle script over one batch and decodes its JSON answer.
    static func oracle<Answer: Decodable>(_ python: String, script: String, arguments: [String] = [],
                                          batch: some Encodable, as: Answer.Type) async throws -> Answer {
        let r = try await run(python, [oracles + "/" + script] + arguments, input: try JSONEncoder().encode(batch))
        guard r.status == 0 else {
            throw Failure(description: "\(script) exited \(r.status): \(r.stderr)")
        }
        return try JSONDecoder().decode(Answer.self, from: r.stdout)
    }
}
