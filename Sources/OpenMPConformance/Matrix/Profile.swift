extension Matrix {
    /// Which OpenMP runtime each role brings: the framework role (PyTorch-like: training,
    /// inference) and the index role (FAISS-like: index build, search).
    package struct Profile: Sendable, Hashable, Identifiable {
        package var id: String
        package var framework: RuntimeRef
        package var index: RuntimeRef
        /// Why this pairing is in the matrix.
        package var why: String
        package var location: SourceLocation

        package init(id: String, framework: RuntimeRef, index: RuntimeRef, why: String, location: SourceLocation) {
            self.id = id; self.framework = framework; self.index = index; self.why = why; self.location = location
        }

        /// How the two roles' runtimes relate, which decides how far the environment modes are expanded.
        package func kind(declared: [String: RuntimeDeclaration]) -> Kind {
            if framework.sameFile(as: index) { return .control }
            let families = [framework, index].map { $0.family(declared: declared) }
            return families.contains(.gnu) || families.contains(.vcomp) ? .mixed : .contending
        }

        /// See ``Profile/kind(declared:)``.
        package enum Kind: String, Sendable, Hashable, Codable {
            /// Both roles use one file: one runtime in the process (the real fix). Only `unset` is expanded.
            case control
            /// Two files of the KMP family (or of unknown family): the duplicate check applies.
            case contending
            /// At least one side is GNU libgomp (on Windows: Microsoft vcomp), which has no duplicate
            /// check: only `unset` and `exported`.
            case mixed
        }
    }

    /// A role's runtime: a name from the manifest, or a path the user gives.
    package enum RuntimeRef: Sendable, Hashable, CustomStringConvertible {
        /// A runtime declared in profiles.yaml and resolved through `runtimes/manifest.json`.
        case named(String)
        /// A file on this machine; `family` is what the user says it is (`unknown` counts as KMP).
        case path(String, family: RuntimeFamily)

        package var description: String {
            switch self {
            case .named(let n): n
            case .path(let p, _): p
            }
        }

        func sameFile(as other: RuntimeRef) -> Bool {
            switch (self, other) {
            case let (.named(a), .named(b)): a == b
            case let (.path(a, _), .path(b, _)): a == b
            default: false
            }
        }

        func family(declared: [String: RuntimeDeclaration]) -> RuntimeFamily {
            switch self {
            case .named(let n): declared[n]?.family ?? .unknown
            case .path(_, let f): f
            }
        }
    }

    /// OpenMP runtime families, as the duplicate check sees them.
    package enum RuntimeFamily: String, Sendable, Hashable, Codable, CaseIterable {
        /// LLVM libomp and Intel libiomp5: export `__kmpc_fork_call`, register themselves, abort on a duplicate.
        case kmp
        /// GNU libgomp: no registration, no duplicate check.
        case gnu
        /// Microsoft's vcomp140.dll (Windows): not of the KMP family, no duplicate check.
        case vcomp
        case unknown
    }

    /// A runtime name profiles may use, declared in profiles.yaml; its path comes from the manifest.
    package struct RuntimeDeclaration: Sendable, Hashable {
        package var name: String
        package var family: RuntimeFamily
        /// What it is, in a few words.
        package var what: String
        package var location: SourceLocation
        package init(name: String, family: RuntimeFamily, what: String, location: SourceLocation) {
            self.name = name; self.family = family; self.what = what; self.location = location
        }
    }
}
