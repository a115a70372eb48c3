import Foundation
import OMPPlan

/// Reads and checks the three matrix files. Every failure is a ``MatrixError`` at `file:line:column`.
enum MatrixLoader {
    static let schemaVersion = 1
    static let roles = ["framework", "index"]
    static let workVerbs: Set<String> = ["parallel", "train", "index", "add", "search", "infer", "serve"]

    static func read(_ url: URL) throws(MatrixError) -> YAMLValue {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw MatrixError(file: url.path, line: 1, column: 1, message: "cannot read the file: \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw MatrixError(file: url.path, line: 1, column: 1, message: "the file is not UTF-8 text")
        }
        return try YAMLValue.parse(text, file: url.path)
    }

    static func checkSchemaVersion(_ top: YAMLMapping) throws(MatrixError) {
        let v = top.required("schemaVersion")
        let n = try v.int("schemaVersion")
        guard n == schemaVersion else { throw v.fail("schemaVersion \(n) is not supported (this kit reads \(schemaVersion))") }
    }

    // MARK: profiles.yaml

    /// What profiles.yaml holds: the host's runtimes and profiles, and its optional `windows:`
    /// section (the Windows DLLs' names and the Windows profiles, see ``WindowsExpander``).
    struct Profiles {
        var runtimes: [Matrix.RuntimeDeclaration]
        var profiles: [Matrix.Profile]
        var windowsRuntimes: [Matrix.RuntimeDeclaration] = []
        var windowsProfiles: [Matrix.Profile] = []
    }

    static func profiles(_ doc: YAMLValue) throws(MatrixError) -> Profiles {
        let top = try doc.mapping("profiles.yaml", required: ["schemaVersion", "runtimes", "profiles"], optional: ["windows"])
        try checkSchemaVersion(top)
        let decls = try declarations(top.required("runtimes"), "runtimes")
        let profiles = try profileList(top.required("profiles"), "profiles", declared: decls)
        var out = Profiles(runtimes: decls, profiles: profiles)
        if let w = top["windows"] {
            let wm = try w.mapping("windows", required: ["runtimes", "profiles"])
            let wdecls = try declarations(wm.required("runtimes"), "windows runtimes")
            let wprofiles = try profileList(wm.required("profiles"), "windows profiles", declared: wdecls)
            for p in wprofiles {
                if let host = profiles.first(where: { $0.id == p.id }) {
                    throw MatrixError(p.location, "Windows profile id '\(p.id)' is also a profile id at \(host.location); give it its own")
                }
            }
            out.windowsRuntimes = wdecls
            out.windowsProfiles = wprofiles
        }
        return out
    }

    static func declarations(_ list: YAMLValue, _ what: String) throws(MatrixError) -> [Matrix.RuntimeDeclaration] {
        var decls: [Matrix.RuntimeDeclaration] = []
        for item in try list.sequence(what) {
            let m = try item.mapping("a runtime", required: ["name", "family", "what"])
            let nameNode = m.required("name")
            let name = try nameNode.identifier("runtime name")
            if let first = decls.first(where: { $0.name == name }) {
                throw nameNode.fail("duplicate runtime name '\(name)' (first declared at \(first.location))")
            }
            let fam = try m.required("family").word("family", in: Matrix.RuntimeFamily.allCases.map(\.rawValue))
            decls.append(.init(name: name, family: Matrix.RuntimeFamily(rawValue: fam)!, what: try m.required("what").string("what"),
                               location: nameNode.location))
        }
        return decls
    }

    static func profileList(_ list: YAMLValue, _ what: String, declared decls: [Matrix.RuntimeDeclaration]) throws(MatrixError) -> [Matrix.Profile] {
        let declared = decls.map(\.name)
        func ref(_ v: YAMLValue, role: String) throws(MatrixError) -> Matrix.RuntimeRef {
            if case .mapping = v.node {
                let m = try v.mapping("the \(role) runtime", required: ["path"], optional: ["family"])
                let pathNode = m.required("path")
                let path = try pathNode.string("path")
                guard path.hasPrefix("/") else { throw pathNode.fail("path '\(path)' must be absolute") }
                let fam = try m["family"].map { v throws(MatrixError) in
                    Matrix.RuntimeFamily(rawValue: try v.word("family", in: Matrix.RuntimeFamily.allCases.map(\.rawValue)))!
                } ?? .unknown
                return .path(path, family: fam)
            }
            let name = try v.string("the \(role) runtime")
            guard declared.contains(name) else {
                throw v.fail("unknown runtime '\(name)' for the \(role) role (declared under runtimes: \(declared.joined(separator: ", ")); or give {path: /abs/path})")
            }
            return .named(name)
        }
        var profiles: [Matrix.Profile] = []
        for item in try list.sequence(what) {
            let m = try item.mapping("a profile", required: ["id", "framework", "index", "why"])
            let idNode = m.required("id")
            let id = try idNode.identifier("profile id")
            if let first = profiles.first(where: { $0.id == id }) {
                throw idNode.fail("duplicate profile id '\(id)' (first defined at \(first.location))")
            }
            profiles.append(.init(id: id, framework: try ref(m.required("framework"), role: "framework"),
                                  index: try ref(m.required("index"), role: "index"),
                                  why: try m.required("why").string("why"), location: idNode.location))
        }
        if profiles.isEmpty { throw list.fail("at least one profile is needed") }
        return profiles
    }

    // MARK: shared pieces

    static func source(_ v: YAMLValue) throws(MatrixError) -> Matrix.DocSource {
        let m = try v.mapping("source", required: ["section", "quote"])
        return .init(section: try m.required("section").string("section"), quote: try m.required("quote").string("quote"))
    }

    /// A workload: plan-language work steps over the roles only.
    static func workload(_ v: YAMLValue) throws(MatrixError) -> Plan {
        let text = try v.text("workload")
        let plan: Plan
        do { plan = try Plan.parse(text) } catch {
            throw MatrixError(v.location(ofColumn: error.column ?? 1), "workload: \(error)")
        }
        for (i, step) in plan.steps.enumerated() {
            guard workVerbs.contains(step.verb) else {
                throw v.fail("workload step \(i + 1) '\(step.text)': only work steps belong here (\(workVerbs.sorted().joined(separator: ", "))); loads, inits and the variable are added per cell")
            }
            for r in step.runtimes where !roles.contains(r) {
                throw v.fail("workload step \(i + 1) '\(step.text)': '\(r)' is not a role (roles: framework, index; profiles map roles to runtimes)")
            }
        }
        // Every expansion loads both roles first; the plan must then validate as a whole.
        do { try Plan(roles.map { .load($0) } + plan.steps).validate(declared: roles) } catch {
            throw v.fail("workload step \(error.step - roles.count) '\(error.text)': \(error.reason)")
        }
        return plan
    }

    static func expansion(_ m: YAMLMapping, profileIDs: [String], defaults: Matrix.Expansion) throws(MatrixError) -> Matrix.Expansion {
        var e = defaults
        if let v = m["envModes"] {
            if case .scalar = v.node, try v.string("envModes") == "all" {
                e.envModes = Cell.EnvMode.allCases
            } else {
                e.envModes = try v.list("envModes") { x throws(MatrixError) in
                    Cell.EnvMode(rawValue: try x.word("env mode", in: Cell.EnvMode.allCases.map(\.rawValue)))!
                }
            }
        }
        if let v = m["orderings"] {
            e.orderings = try v.list("orderings") { x throws(MatrixError) in
                Cell.Ordering(rawValue: try x.word("ordering", in: Cell.Ordering.allCases.map(\.rawValue)))!
            }
        }
        if let v = m["imports"] {
            e.imports = try v.list("imports") { x throws(MatrixError) in
                Cell.ImportMeaning(rawValue: try x.word("import meaning", in: Cell.ImportMeaning.allCases.map(\.rawValue)))!
            }
        }
        if let v = m["profiles"] {
            e.profiles = try v.list("profiles") { x throws(MatrixError) in try x.word("profile", in: profileIDs) }
        }
        if let v = m["stacks"] {
            e.stacks = try v.list("stacks") { x throws(MatrixError) in
                StackShape(rawValue: try x.word("stack shape", in: StackShape.allCases.filter { $0 != .ownHandle }.map(\.rawValue)))!
            }
        }
        if let v = m["stackProfiles"] {
            e.stackProfiles = try v.list("stackProfiles") { x throws(MatrixError) in try x.word("profile", in: profileIDs) }
        }
        return e
    }

    static let expansionKeys = ["envModes", "orderings", "imports", "profiles", "stacks", "stackProfiles"]

    static func outcomes(_ v: YAMLValue, _ what: String) throws(MatrixError) -> [Outcome] {
        let list = try v.list(what) { x throws(MatrixError) in
            Outcome(rawValue: try x.word("outcome", in: Outcome.allCases.map(\.rawValue)))!
        }
        if list.isEmpty { throw v.fail("\(what) must name at least one outcome") }
        return list
    }

    // MARK: applicability.yaml

    static func applicability(_ doc: YAMLValue, profileIDs: [String]) throws(MatrixError) -> ([Matrix.Row], Matrix.PredictionTable) {
        let top = try doc.mapping("applicability.yaml", required: ["schemaVersion", "predictions", "rows"])
        try checkSchemaVersion(top)
        let pnode = top.required("predictions")
        let pm = try pnode.mapping("predictions", required: Matrix.FixNeeded.allCases.map(\.rawValue))
        var entries: [Matrix.FixNeeded: Matrix.PredictionTable.Entry] = [:]
        for f in Matrix.FixNeeded.allCases {
            let em = try pm.required(f.rawValue).mapping("predictions.\(f.rawValue)", required: ["withoutFix", "withFix", "why"])
            entries[f] = .init(withoutFix: try outcomes(em.required("withoutFix"), "withoutFix"),
                               withFix: try outcomes(em.required("withFix"), "withFix"),
                               why: try em.required("why").string("why"))
        }
        var rows: [Matrix.Row] = []
        for item in try top.required("rows").sequence("rows") {
            let m = try item.mapping("a row", required: ["id", "scenario", "device", "platform", "fixNeeded", "reason", "source", "workload"],
                                     optional: expansionKeys + ["tags"])
            let idNode = m.required("id")
            let id = try idNode.identifier("row id")
            if let first = rows.first(where: { $0.id == id }) {
                throw idNode.fail("duplicate row id '\(id)' (first defined at \(first.location))")
            }
            rows.append(Matrix.Row(
                id: id,
                scenario: try m.required("scenario").string("scenario"),
                device: Matrix.Device(rawValue: try m.required("device").word("device", in: Matrix.Device.allCases.map(\.rawValue)))!,
                platform: Matrix.Platform(rawValue: try m.required("platform").word("platform", in: Matrix.Platform.allCases.map(\.rawValue)))!,
                fixNeeded: Matrix.FixNeeded(rawValue: try m.required("fixNeeded").word("fixNeeded", in: Matrix.FixNeeded.allCases.map(\.rawValue)))!,
                reason: try m.required("reason").string("reason"),
                source: try source(m.required("source")),
                workload: try workload(m.required("workload")),
                expansion: try expansion(m, profileIDs: profileIDs, defaults: .init()),
                tags: try m["tags"].map { v throws(MatrixError) in try v.list("tags") { x throws(MatrixError) in try x.identifier("tag") } } ?? [],
                location: idNode.location))
        }
        if rows.isEmpty { throw top.required("rows").fail("at least one row is needed") }
        return (rows, Matrix.PredictionTable(entries: entries))
    }

    // MARK: claims.yaml

    /// Row references in evidence selectors, checked once every row and claim probe is known.
    struct RowReference { let pattern: String; let location: SourceLocation }

    static func claims(_ doc: YAMLValue, profileIDs: [String]) throws(MatrixError) -> ([Matrix.Claim], [RowReference]) {
        let top = try doc.mapping("claims.yaml", required: ["schemaVersion", "claims"])
        try checkSchemaVersion(top)
        var claims: [Matrix.Claim] = []
        var refs: [RowReference] = []
        for item in try top.required("claims").sequence("claims") {
            let m = try item.mapping("a claim", required: ["id", "statement", "source", "method"],
                                     optional: ["evidence", "probe", "wheels", "untestable", "scope", "failures", "findings", "readings"])
            let idNode = m.required("id")
            let id = try idNode.identifier("claim id")
            if let first = claims.first(where: { $0.id == id }) {
                throw idNode.fail("duplicate claim id '\(id)' (first defined at \(first.location))")
            }
            var selectors: [Matrix.EvidenceSelector] = []
            if let ev = m["evidence"] {
                for s in try ev.sequence("evidence") {
                    let sm = try s.mapping("an evidence selector", required: [], optional: ["rows", "profiles", "envModes", "orderings", "imports"])
                    if sm.entries.isEmpty { throw s.fail("an evidence selector must name at least one of rows, profiles, envModes, orderings, imports") }
                    var rowsList: [String] = []
                    if let r = sm["rows"] {
                        for x in try r.sequence("rows") {
                            let p = try x.string("row")
                            rowsList.append(p)
                            refs.append(.init(pattern: p, location: x.location))
                        }
                    }
                    let e = try expansion(sm, profileIDs: profileIDs, defaults: .init(envModes: [], orderings: [], imports: [], profiles: []))
                    selectors.append(.init(rows: rowsList, profiles: e.profiles ?? [], envModes: e.envModes, orderings: e.orderings,
                                           imports: e.imports, location: s.location))
                }
            }
            var probe: Matrix.ClaimProbe?
            if let p = m["probe"] {
                let pm = try p.mapping("probe", required: ["workload", "platform", "fixNeeded"], optional: expansionKeys + ["device", "tags"])
                probe = .init(
                    workload: try workload(pm.required("workload")),
                    platform: Matrix.Platform(rawValue: try pm.required("platform").word("platform", in: Matrix.Platform.allCases.map(\.rawValue)))!,
                    device: try pm["device"].map { v throws(MatrixError) in Matrix.Device(rawValue: try v.word("device", in: Matrix.Device.allCases.map(\.rawValue)))! } ?? .cpu,
                    fixNeeded: Matrix.FixNeeded(rawValue: try pm.required("fixNeeded").word("fixNeeded", in: Matrix.FixNeeded.allCases.map(\.rawValue)))!,
                    expansion: try expansion(pm, profileIDs: profileIDs, defaults: .init()),
                    tags: try pm["tags"].map { v throws(MatrixError) in try v.list("tags") { x throws(MatrixError) in try x.identifier("tag") } } ?? [])
            }
            var wheels: Matrix.WheelCheck?
            if let w = m["wheels"] {
                let wm = try w.mapping("wheels", required: ["platform", "expect"])
                var exps: [Matrix.WheelCheck.Expectation] = []
                for e in try wm.required("expect").sequence("expect") {
                    let em = try e.mapping("a wheel expectation", required: ["package", "bundles"], optional: ["note"])
                    exps.append(.init(package: try em.required("package").string("package"),
                                      bundles: WheelScan.Library.Kind(rawValue: try em.required("bundles").word("bundles", in: ["intel", "llvm", "gnu"]))!,
                                      note: try em["note"].map { v throws(MatrixError) in try v.string("note") }))
                }
                if exps.isEmpty { throw wm.required("expect").fail("expect must list at least one package") }
                wheels = .init(platform: Matrix.Platform(rawValue: try wm.required("platform").word("platform", in: Matrix.Platform.allCases.map(\.rawValue)))!,
                               expectations: exps)
            }
            let untestable = try m["untestable"].map { v throws(MatrixError) in try v.string("untestable") }
            if selectors.isEmpty && probe == nil && wheels == nil && untestable == nil {
                throw item.fail("claim '\(id)' needs evidence, a probe, wheels, or an untestable reason")
            }
            var claim = Matrix.Claim(id: id, statement: try m.required("statement").string("statement"),
                                     source: try source(m.required("source")), method: try m.required("method").string("method"),
                                     evidence: selectors, probe: probe, wheels: wheels, untestableReason: untestable,
                                     location: idNode.location)
            if let v = m["scope"] {
                claim.scope = Matrix.Claim.Scope(rawValue: try v.word("scope", in: ["any", "kmp-pairs"]))!
            }
            if let v = m["failures"] {
                claim.failures = try v.list("failures") { x throws(MatrixError) in
                    Outcome(rawValue: try x.word("an outcome", in: Outcome.allCases.map(\.rawValue)))!
                }
            }
            if let v = m["findings"] {
                let fm = try v.mapping("findings", required: [], optional: ClaimState.allCases.map(\.rawValue))
                for state in ClaimState.allCases {
                    if let x = fm[state.rawValue] { claim.findings[state] = try x.string(state.rawValue) }
                }
            }
            if let v = m["readings"] {
                for x in try v.sequence("readings") {
                    let rm = try x.mapping("a reading", required: ["words"], optional: ["envModes", "imports"])
                    let e = try expansion(rm, profileIDs: profileIDs, defaults: .init(envModes: [], orderings: [], imports: [], profiles: []))
                    claim.readings.append(.init(words: try rm.required("words").string("words"), envModes: e.envModes, imports: e.imports))
                }
            }
            claims.append(claim)
        }
        return (claims, refs)
    }
}
