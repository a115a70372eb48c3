import Foundation
import Testing
@testable import OpenMPConformance

/// Requirements as pip reads them: environment markers evaluated for the target platform and
/// Python, version specifiers matched by PEP 440 against the catalog's real versions, and the two
/// forms (`--packages`, `--requirements`) read the one same way. No network.
@Suite("Requirements: markers and specifiers")
struct RequirementsTests {
    static let catalog = PackageDoctorTests.catalog
    static let atlas = PackageDoctorTests.atlas

    /// The values pip on each target platform gives the platform variables (the table the doctor answers for).
    static let platformValues: [WheelCatalog.Platform: [String: String]] = [
        .linux: ["sys_platform": "linux", "platform_system": "Linux", "os_name": "posix", "platform_machine": "x86_64"],
        .macos: ["sys_platform": "darwin", "platform_system": "Darwin", "os_name": "posix", "platform_machine": "arm64"],
        .windows: ["sys_platform": "win32", "platform_system": "Windows", "os_name": "nt", "platform_machine": "AMD64"],
    ]

    /// Runs `body` with a builder whose downloads go to a new temporary folder (removed afterwards)
    /// and whose index is a closed port (no network); then checks nothing was left in the folder.
    static func offline<T>(_ body: (WheelCatalogBuilder) async throws -> T) async throws -> T {
        let dir = try makeTemporaryDirectory("omp-pkg-spec")
        defer { try? FileManager.default.removeItem(at: dir) }
        var builder = WheelCatalogBuilder(downloads: dir)
        builder.index = PackageDoctorTests.closedIndex
        let out = try await body(builder)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty, "something was downloaded or recorded")
        return out
    }

    static func answer(_ text: String, _ platform: WheelCatalog.Platform, python: String = "3.12") throws -> PackageDoctor.Answer {
        let r = try PackageDoctor.requirements(text, file: "req.txt")
        return PackageDoctor.answer(r.requests, platform: platform, python: python, catalog: try catalog.get(), atlas: atlas.0, atlasSource: atlas.1,
                                    unsupported: r.unsupported)
    }

    /// True when the answer took numpy (the catalog's wheel, which ships no OpenMP runtime) rather than leaving it out.
    static func tookNumpy(_ a: PackageDoctor.Answer) -> Bool { a.lines.contains { $0.contains("numpy 2.5.5 (the catalog's version): ships no OpenMP runtime") } }

    @Test("a platform marker is true on its own platform and false on the others, each variable and operator", arguments: WheelCatalog.Platform.allCases)
    func platformMarkers(target: WheelCatalog.Platform) throws {
        for (_, values) in Self.platformValues {
            for (variable, value) in values.sorted(by: { $0.key < $1.key }) {
                // What pip on the target sees (macOS and Linux share os_name posix).
                let own = Self.platformValues[target]![variable] == value
                for (marker, expected) in [("\(variable) == '\(value)'", own), ("\(variable) != \"\(value)\"", !own),
                                           ("'\(value)' == \(variable)", own), ("\(variable) in '\(value) other'", own),
                                           ("\(variable) not in '\(value) other'", !own),
                                           ("(\(variable) == '\(value)' or python_version < '3') and implementation_name == 'cpython'", own)] {
                    let a = try Self.answer("numpy ; \(marker)\n", target)
                    #expect(Self.tookNumpy(a) == expected, "\(marker) on \(target.rawValue): \(a.lines)")
                    #expect(a.lines.contains { $0.contains("numpy: not for \(target.rawValue) with Python 3.12 (marker \(marker) is false there, line 1)") } == !expected,
                            "\(marker) on \(target.rawValue): \(a.lines)")
                    #expect(a.exitCode == 0, "\(marker): \(a.lines)")
                }
            }
        }
    }

    @Test("Python markers: versions compared as versions, for --python, with and/or and parentheses", arguments: [
        ("python_version < '3.13'", "3.12", true), ("python_version < '3.13'", "3.13", false),
        ("python_version >= '3.9'", "3.12", true), ("python_version > '3.12'", "3.12", false),
        ("python_version == '3.1'", "3.12", false), ("python_version ~= '3.10'", "3.12", true),
        ("python_version == '3.*'", "3.12", true), ("python_version in '3.11 3.12'", "3.12", true),
        ("python_full_version >= '3.12.0'", "3.12", true), ("python_full_version < '3.12.4'", "3.12.3", true),
        ("python_full_version < '3.12.4'", "3.12.4", false), ("platform_python_implementation == 'CPython'", "3.12", true),
        ("python_implementation == 'PyPy'", "3.12", false),
        ("sys_platform == 'win32' and platform_release >= '20'", "3.12", false),
        ("sys_platform == 'linux' or platform_release >= '20'", "3.12", true),
    ])
    func pythonMarkers(marker: String, python: String, expected: Bool) throws {
        let a = try Self.answer("numpy ; \(marker)\n", .linux, python: python)
        #expect(Self.tookNumpy(a) == expected, "\(marker) for \(python): \(a.lines)")
        #expect(a.exitCode == 0)
    }

    @Test("a marker pip would reject: exit 2 naming file and line", arguments: [
        "numpy ; sys_platform = 'linux'", "numpy ; platform_foo == 'x'", "numpy ; sys_platform == 'linux' and",
        "numpy ; (sys_platform == 'linux'", "numpy ; sys_platform ~= 'linux'", "numpy ;", "numpy ; 'a' == 'b'",
        "numpy ; sys_platform == 'linux", "numpy ; sys_platform == 'linux' xor os_name == 'nt'", "numpy ; sys_platform not 'linux'",
    ])
    func badMarker(line: String) {
        #expect {
            _ = try PackageDoctor.requirements("torch==2.15.0\n\(line)\n", file: "req.txt")
        } throws: { error in
            guard let e = error as? PackageDoctor.RequirementsError else { return false }
            return e.line == 2 && e.description.hasPrefix("req.txt:2: '\(line.trimmingCharacters(in: .whitespaces))'")
        }
    }

    @Test("a marker the target does not decide (the installing machine's release, an extra) is named, and the answer is incomplete", arguments: [
        ("platform_release >= '20'", "platform_release"), ("platform_version == '1'", "platform_version"), ("extra == 'gpu'", "extra"),
        ("python_full_version < '3.12.4'", "python_full_version"), ("implementation_version != '3.12.2'", "implementation_version"),
        ("sys_platform == 'linux' and platform_release >= '20'", "platform_release"),
    ])
    func undecided(marker: String, variable: String) throws {
        // Without the line the answer is complete.
        #expect(try Self.answer("numpy\n", .linux).exitCode == 0)
        let a = try Self.answer("numpy\nscipy ; \(marker)\nhttps://example.org/x.whl\n", .linux)
        #expect(a.exitCode == 4, "\(a.lines)")
        let note = try #require(a.lines.first { $0.hasPrefix("Not read: ") })
        #expect(note.contains("line 2: 'scipy; \(marker)' (the marker depends on \(variable)"), "\(note)")
        // The lines not read first, then the undecided markers (so --packages and --requirements list them alike).
        #expect(a.unsupported.map { String($0.prefix(7)) } == ["line 3:", "line 2:"])
        #expect(a.lines[0].contains("Incomplete: 2 lines not read"), "\(a.lines[0])")
        #expect(!a.lines.contains { $0.contains("scipy 1.18.1") })
    }

    /// A version's release numbers, the first `n` of them.
    static func release(_ v: String, _ n: Int) -> String { v.split(separator: ".").prefix(n).joined(separator: ".") }

    @Test("a specifier the catalog's version satisfies is answered from the catalog, which says so, without the network",
          arguments: WheelCatalog.Platform.allCases)
    func satisfiedByCatalog(platform: WheelCatalog.Platform) async throws {
        let c = try Self.catalog.get()
        try await Self.offline { builder in
            for w in c.wheels where w.platform == platform {
                let v = w.version
                for spec in [">=\(v)", "<=\(v)", "~=\(Self.release(v, 2))", "==\(Self.release(v, 1)).*", "!=0.0.1", ">=0.1,<\(Int(Self.release(v, 1))! + 1)",
                             "===\(v)", "(>=\(Self.release(v, 2)))"] {
                    let r = try PackageDoctor.requirements("\(w.package)\(spec)\n", file: "req.txt")
                    #expect(await PackageDoctor.resolve(r.requests, platform: platform, catalog: c, builder: builder).isEmpty, "\(w.package)\(spec)")
                    let a = PackageDoctor.answer(r.requests, platform: platform, catalog: c, atlas: Self.atlas.0, atlasSource: Self.atlas.1)
                    let shown = r.requests[0].specifier ?? ""
                    #expect(a.lines.contains { $0.contains("\(w.package) \(v) (the catalog's version, which satisfies '\(shown)')") }, "\(w.package)\(spec): \(a.lines)")
                    #expect(a.unknown.isEmpty, "\(w.package)\(spec): \(a.unknown)")
                }
            }
        }
    }

    @Test("a specifier the catalog's version does not satisfy, no network: that package is not resolved, named, exit 4", arguments: [
        "torch>2.15.0", "torch<2", "torch!=2.15.0", "torch~=2.16", "torch==3.*", "torch===2.15",
    ])
    func notSatisfiedNoNetwork(spec: String) async throws {
        let c = try Self.catalog.get()
        let r = try PackageDoctor.requirements("\(spec)\nnumpy\n", file: "req.txt")
        let downloads = try await Self.offline { await PackageDoctor.resolve(r.requests, platform: .linux, catalog: c, builder: $0) }
        #expect(downloads.count == 1 && downloads[0].failed && downloads[0].how.contains("the index could not be read"), "\(downloads)")
        let a = PackageDoctor.answer(r.requests, platform: .linux, catalog: c, atlas: Self.atlas.0, atlasSource: Self.atlas.1, downloads: downloads)
        #expect(a.exitCode == 4)
        let asked = r.requests[0].asked
        #expect(a.unknown == [asked])
        #expect(a.lines[0].contains("Incomplete: \(asked) not answered"), "\(a.lines[0])")
        #expect(a.lines.contains { $0.contains("torch \(r.requests[0].specifier ?? r.requests[0].version ?? ""): not in the catalog; the index could not be read") }, "\(a.lines)")
        #expect(Self.tookNumpyAny(a))
    }

    static func tookNumpyAny(_ a: PackageDoctor.Answer) -> Bool { a.lines.contains { $0.contains("numpy 2.5.5") } }

    @Test("specifier syntax pip rejects: exit 2 naming the line", arguments: [
        ("torch>=", "no version after '>='"), ("torch>>1", "is not a version"), ("torch~=1", "at least two release numbers"),
        ("torch>=1.0+cpu", "local version label"), ("torch<1.*", "only allowed with == and !="), ("torch==1.0rc1.*", "follows a release number only"),
        ("torch 2.0", "does not start with a comparison"), ("torch==1.0,", "does not start with a comparison"), ("torch=2.0", "does not start with a comparison"),
        ("torch (>=1.0", "is not closed"), ("torch==1.0 ; ", "nothing after ';'"),
    ])
    func badSpecifier(line: String, message: String) {
        #expect {
            _ = try PackageDoctor.requirements("# a comment\n\(line)\n", file: "req.txt")
        } throws: { error in
            guard let e = error as? PackageDoctor.RequirementsError else { return false }
            return e.line == 2 && e.message.contains(message) && e.description.hasPrefix("req.txt:2: ")
        }
    }

    @Test("PEP 440 order and matching, around every version of the catalog: pre-, post-, dev-releases and local labels")
    func ordering() throws {
        let versions = Set(try Self.catalog.get().wheels.map(\.version))
        #expect(versions.count >= 20)
        for text in versions {
            let v = try #require(PythonVersion(text), "\(text)")
            let base = v.baseVersion.description
            // dev < a < b < rc < final < post, each numbered; local labels above the same public version.
            let chain = ["\(base).dev0", "\(base)a1.dev1", "\(base)a1", "\(base)b2", "\(base)rc1", base, "\(base)+local.1", "\(base).post1.dev0", "\(base).post1"]
            let parsed = try chain.map { try #require(PythonVersion($0), "\($0)") }
            for i in parsed.indices.dropLast() { #expect(parsed[i] < parsed[i + 1], "\(chain[i]) < \(chain[i + 1])") }
            // Spellings pip normalizes.
            #expect(PythonVersion("v\(base)-RC.1") == PythonVersion("\(base)rc1"))
            #expect(PythonVersion("\(base)-1") == PythonVersion("\(base).post1"))
            #expect(PythonVersion("\(base).0.0") == PythonVersion(base))
            func ok(_ spec: String, _ candidate: String, prereleases: Bool? = nil) -> Bool {
                guard case .success(let s) = VersionSpecifier.parse(spec) else { Issue.record("'\(spec)' does not parse"); return false }
                return s.matches(candidate, prereleases: prereleases)
            }
            // `<V` does not take V's own pre-releases; `>V` not its post-releases or local labels; `>=` takes them.
            #expect(!ok("<\(base)", "\(base)rc1", prereleases: true))
            #expect(ok("<\(base)rc2", "\(base)rc1"))
            #expect(!ok(">\(base)", "\(base).post1"))
            #expect(ok(">=\(base)", "\(base).post1"))
            #expect(!ok(">\(base)", "\(base)+local"))
            #expect(ok("==\(base)", "\(base)+local") && !ok("==\(base)+other", "\(base)+local"))
            // Pre-releases only when asked, or when nothing else matches.
            #expect(!ok(">=\(base)", "\(Self.bump(base))rc1"))
            #expect(ok(">=\(Self.bump(base))rc1", "\(Self.bump(base))rc1"))
            let spec = try VersionSpecifier.parse(">\(base)").get()
            #expect(spec.newest([base, "\(Self.bump(base))rc1"]) == "\(Self.bump(base))rc1")
            #expect(spec.newest([base, "\(Self.bump(base))rc1", "\(Self.bump(base)).1"]) == "\(Self.bump(base)).1")
            // `~=` and `==X.*` around the version.
            let release = v.release.map(String.init)
            if release.count >= 2 {
                #expect(ok("~=\(release.prefix(2).joined(separator: "."))", text))
                #expect(ok("==\(release[0]).*", text) && !ok("!=\(release[0]).*", text))
                #expect(!ok("~=\(release[0]).\(v.release[1] + 1)", text))
            }
        }
        // pymeshlab 2025.7.post1, the catalog's post-release: `>2025.7` leaves it out, `~=2025.7` and `==2025.7.*` take it.
        #expect(versions.contains("2025.7.post1"))
        #expect(try !VersionSpecifier.parse(">2025.7").get().matches("2025.7.post1"))
        #expect(try VersionSpecifier.parse("~=2025.7.0").get().matches("2025.7.post1"))
        #expect(try VersionSpecifier.parse("==2025.7.*").get().matches("2025.7.post1"))
    }

    /// Epoch and release of a version (`2025.7.post1` gives `2025.7`).
    static func base(_ v: String) -> String { PythonVersion(v)?.baseVersion.description ?? v }

    /// The version after `base` (its last release number plus one).
    static func bump(_ base: String) -> String {
        var parts = base.split(separator: ".").map { Int($0)! }
        parts[parts.count - 1] += 1
        return parts.map(String.init).joined(separator: ".")
    }

    static let pythonPackaging = Python.interpreter(importing: "packaging.specifiers")

    @Test("PEP 440 matching agrees with Python's own packaging library over the catalog's versions",
          .enabled(if: pythonPackaging != nil, "python3 with the packaging module is not on this host (apt-get install python3-packaging)"))
    func agreesWithPackaging() throws {
        let versions = Array(Set(try Self.catalog.get().wheels.map(\.version))).sorted()
        var candidates: [String] = []
        for v in versions {
            let base = Self.base(v)
            candidates += [v, "\(base)rc1", "\(base).post1", "\(base).dev0", "\(v)+local", Self.bump(base)]
        }
        let specs = versions.flatMap { v in [">\(v)", ">=\(v)", "<\(v)", "<=\(v)", "==\(v)", "!=\(v)", "~=\(Self.release(v, 2))", "==\(Self.release(v, 1)).*",
                                             ">=\(Self.base(v))rc1", "<\(Self.base(v))rc2", "==\(v)+local", "===\(v)"] }
        let script = """
        import json, sys
        from packaging.specifiers import SpecifierSet
        d = json.load(sys.stdin)
        import packaging
        print(json.dumps({"version": packaging.__version__,
                          "table": [[SpecifierSet(s).contains(c, prereleases=True) for c in d["c"]] for s in d["s"]]}))
        """
        let input = try JSONSerialization.data(withJSONObject: ["c": candidates, "s": specs])
        let r = try Python.run(try #require(Self.pythonPackaging), ["-c", script], input: input)
        #expect(r.status == 0, "\(r.stderr)")
        let out = try #require(try JSONSerialization.jsonObject(with: r.stdout) as? [String: Any])
        let table = try #require(out["table"] as? [[Bool]])
        let oracleText = try #require(out["version"] as? String)
        let oracle = try #require(PythonVersion(oracleText))
        let olderRule = oracle < PythonVersion("26.1")!
        var compared = 0
        for (i, s) in specs.enumerated() {
            let spec = try VersionSpecifier.parse(s).get()
            for (j, c) in candidates.enumerated() {
                if olderRule && Self.exclusiveRuleChanged(spec: s, candidate: c) { continue }
                compared += 1
                #expect(spec.matches(c, prereleases: true) == table[i][j], "\(s) with \(c): packaging \(oracle) says \(table[i][j])")
            }
        }
        #expect(compared > specs.count * candidates.count * 9 / 10, "only \(compared) comparisons made")
    }

    /// Where packaging 26.1 changed `<V` and `>V`: a pre-release (or dev release) candidate of V's
    /// own base release when V is a post-release, e.g. `<2025.7.post1` with `2025.7rc1` (false
    /// before 26.1, true since). pip 26.3 vendors packaging 26.3, whose rule the kit follows; an
    /// older oracle (Debian 12 ships 23.0) is not asked about these pairs.
    static func exclusiveRuleChanged(spec: String, candidate: String) -> Bool {
        guard spec.hasPrefix("<") || spec.hasPrefix(">"), !spec.hasPrefix("<=") && !spec.hasPrefix(">="),
              let v = PythonVersion(String(spec.dropFirst())), let c = PythonVersion(candidate) else { return false }
        return v.isPostrelease && c.isPrerelease && c.baseVersion == v.baseVersion
    }

    static let specs = ["torch>=2.0 ; sys_platform != 'win32'", "faiss-cpu~=1.15", "scikit-learn[alldeps]==1.9.*", "numpy ; sys_platform == 'win32'",
                        "xgboost ; platform_release >= '20'", "https://example.org/x.whl"]

    @Test("--packages and --requirements read the same specs the same way", arguments: WheelCatalog.Platform.allCases)
    func consistency(platform: WheelCatalog.Platform) throws {
        let c = try Self.catalog.get()
        var fromPackages: [PackageDoctor.Request] = [], notRead: [PackageDoctor.NotRead] = []
        for s in Self.specs {
            let r = try PackageDoctor.package(s)
            fromPackages += r.requests; notRead += r.unsupported
        }
        let file = try PackageDoctor.requirements(Self.specs.joined(separator: "\n"), file: "req.txt")
        #expect(file.requests.map { var r = $0; r.line = nil; return r } == fromPackages)
        #expect(file.unsupported.map(\.incomplete) == notRead.map(\.incomplete))
        let a = PackageDoctor.answer(fromPackages, platform: platform, catalog: c, atlas: Self.atlas.0, atlasSource: Self.atlas.1, unsupported: notRead)
        let b = PackageDoctor.answer(file.requests, platform: platform, catalog: c, atlas: Self.atlas.0, atlasSource: Self.atlas.1, unsupported: file.unsupported)
        #expect(a.exitCode == b.exitCode && a.pairs == b.pairs && a.brought == b.brought && a.unknown == b.unknown)
        // The lines differ only in where a spec came from.
        let where_ = #/(line \d+|--packages)/#
        #expect(a.lines.map { $0.replacing(where_, with: "at") } == b.lines.map { $0.replacing(where_, with: "at") })
    }

    @Test("the command: both forms give the same answer; a bad marker exits 2 with file:line", .enabled(if: TestProducts.ompMatrix != nil, "omp-matrix not built"))
    func consistencyCLI() async throws {
        let dir = try makeTemporaryDirectory("omp-pkg-req")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("requirements.txt")
        try Self.specs.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        let env = ["OMP_WHEEL_INDEX": PackageDoctorTests.closedIndex, "OMP_CONFORMANCE_RUNTIMES": dir.path]
        let a = try await AtlasFixtures.runCLI(["doctor", "--requirements", file.path, "--platform", "macos-arm64"], environment: env)
        let b = try await AtlasFixtures.runCLI(["doctor", "--platform", "macos-arm64", "--packages"] + Self.specs, environment: env)
        // Some lines are not read (a URL, an undecided marker): incomplete, unless a pair already aborts.
        #expect(a.status != 0 && b.status == a.status, "\(a.out)\(a.err)")
        let where_ = #/(line \d+|--packages)/#
        #expect(a.out.replacing(where_, with: "at") == b.out.replacing(where_, with: "at"))
        #expect(a.out.contains("numpy: not for macos-arm64"))
        try "numpy\nscipy ; sys_platform === \n".write(to: file, atomically: true, encoding: .utf8)
        let bad = try await AtlasFixtures.runCLI(["doctor", "--requirements", file.path, "--platform", "linux-x86_64"], environment: env)
        #expect(bad.status == 2)
        #expect(bad.err.contains("\(file.path):2: "), "\(bad.err)")
    }
}

extension RequirementsTests {
    @Test("network: a specifier the catalog lacks resolves to the newest matching version with a wheel for the platform, downloaded and verified",
          PackageDoctorTests.networkLane)
    func specifierDownload() async throws {
        let dir = try makeTemporaryDirectory("omp-pkg-spec")
        defer { try? FileManager.default.removeItem(at: dir) }
        let builder = WheelCatalogBuilder(downloads: dir)
        let c = try Self.catalog.get()
        let r = try PackageDoctor.requirements("PyYAML>=5.4,<6.0.2 ; os_name == 'posix'\n", file: "req.txt")
        let downloads = await PackageDoctor.resolve(r.requests, platform: .linux, catalog: c, builder: builder)
        let d = try #require(downloads.first)
        let w = try #require(d.wheel, "\(d.how)")
        #expect(try VersionSpecifier.parse(">=5.4,<6.0.2").get().matches(w.version), "\(w.version)")
        // No newer matching version has a wheel for the platform on the index.
        let files = try await builder.indexFiles("pyyaml")
        let versions = Set(files.compactMap { $0.filename.split(separator: "-").dropFirst().first.map(String.init) })
            .filter { builder.select(files, package: "pyyaml", version: $0, platform: .linux) != nil }
        #expect(try VersionSpecifier.parse(">=5.4,<6.0.2").get().newest(Array(versions)) == w.version)
        let spec = try #require(r.requests.first?.specifier)
        #expect(d.how.contains("version \(w.version) is the one pip resolves for linux-x86_64 (the newest matching '\(spec)'"), "\(d.how)")
        #expect(d.how.contains("verified against the index's SHA-256"))
        let a = PackageDoctor.answer(r.requests, platform: .linux, catalog: c, atlas: Self.atlas.0, atlasSource: Self.atlas.1, downloads: downloads)
        #expect(a.exitCode == 0 && a.unknown.isEmpty, "\(a.lines)")
    }
}

extension RequirementsTests {
    @Test("a request built in code with a specifier that does not parse matches no version: not answered, never the catalog's, exit 4")
    func invalidSpecifierInCode() async throws {
        let c = try Self.catalog.get()
        let bad = PackageDoctor.Request(name: "torch", specifier: ">>1")
        #expect(bad.constraint == nil)
        let downloads = try await Self.offline { await PackageDoctor.resolve([bad], platform: .macos, catalog: c, builder: $0) }
        #expect(downloads.count == 1 && downloads[0].how == "'torch>>1' is not a valid version specifier, so not answered", "\(downloads)")
        let a = PackageDoctor.answer([bad], platform: .macos, catalog: c, atlas: Self.atlas.0, atlasSource: Self.atlas.1, downloads: downloads)
        #expect(a.unknown == ["torch>>1"] && a.brought.isEmpty && a.exitCode == 4, "\(a.lines)")
    }
}

extension RequirementsTests {
    @Test("pip's options: --hash on a requirement changes nothing; other options are named and leave the answer complete; -r, -e, URLs and paths make it incomplete")
    func options() throws {
        let plain = try Self.answer("numpy==2.5.5\n", .linux)
        let hashed = try Self.answer("numpy==2.5.5 --hash=sha256:0123 \\\n    --hash=sha256:4567\n", .linux)
        #expect(hashed.lines == plain.lines && hashed.exitCode == 0, "\(hashed.lines)")
        let named = try Self.answer("--index-url https://example.org/simple\n--pre\nnumpy==2.5.5 --config-settings=x=1\n", .linux)
        #expect(named.exitCode == 0, "\(named.lines)")
        #expect(named.unsupported.map { String($0.prefix(7)) } == ["line 1:", "line 2:", "line 3:"], "\(named.unsupported)")
        #expect(named.unsupported.allSatisfy { $0.contains("an option of pip, not applied here") })
        for line in ["-r other.txt", "-e ./src", "-egit+https://example.org/x.git#egg=x", "x @ https://example.org/x.whl", "./wheels/x-1.0-py3-none-any.whl",
                     "-c constraints.txt", "--requirement=other.txt", "torch==${TORCH_VERSION}"] {
            let a = try Self.answer("numpy==2.5.5\n\(line)\n", .linux)
            #expect(a.exitCode == 4 && a.unsupported.count == 1 && a.unsupported[0].hasPrefix("line 2: '\(line)'"), "\(line): \(a.unsupported)")
        }
    }
}
