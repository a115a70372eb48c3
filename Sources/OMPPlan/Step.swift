/// One instruction of a probe plan, executed in order by the `omp-probe` child.
///
/// The plan language is deliberately small; its text form is what users write in
/// `--steps` and in `Matrices/`:
///
/// ```
/// load a; init a; load b; setenv KMP_DUPLICATE_LIB_OK=TRUE; init b; train a steps=5; index b
/// ```
package enum Step: Sendable, Hashable {
    /// `dlopen` the runtime by path with `RTLD_NOW | RTLD_LOCAL`.
    case load(String)
    /// The runtime's first OpenMP call (`omp_get_max_threads`), which registers it.
    case initialize(String)
    /// `setenv(name, value, 1)` inside the probe, between other steps.
    case setenv(String, String)
    /// `unsetenv(name)` inside the probe.
    case unsetenv(String)
    /// A bare parallel region in that runtime.
    case parallel(String)
    /// The training loop (linear layer + Adam) with its element-wise work in that runtime.
    case train(String, Sizes)
    /// Build a flat inner-product index and search it in parallel in that runtime.
    case index(String, Sizes)
    /// Add vectors to the flat index only: like `index.add`, it opens no parallel region.
    case add(String, Sizes)
    /// Search the index built by an earlier `add`/`index`, in parallel in that runtime.
    case search(String, Sizes)
    /// A forward pass only, with bias and activation in parallel in that runtime.
    case infer(String, Sizes)
    /// A server loop: `threads` threads take `requests` requests; each request does
    /// `infer` in the first runtime and `search` in the second.
    case serve(String, String, Sizes)
    /// The first OpenMP calls of two runtimes from two threads at once: each thread makes its
    /// runtime's first call (`omp_get_max_threads`), then runs one parallel region; both are
    /// joined before the next step.
    case race(String, String)
    /// A parallel region of the first runtime, inside which each of its threads opens a
    /// parallel region of the second; records the threads seen.
    case nest(String, String)
    /// `dlopen` a consumer library built by the kit (a C library compiled with `-fopenmp`, linked
    /// to its runtime file) with `RTLD_LOCAL`, or `RTLD_GLOBAL` when `global`, and call its
    /// checked parallel reduction: the runtime is reached the way a compiled extension reaches it.
    case consumer(String, global: Bool)

    /// The verb as written in the plan language.
    package var verb: String {
        switch self {
        case .load: "load"
        case .initialize: "init"
        case .setenv: "setenv"
        case .unsetenv: "unsetenv"
        case .parallel: "parallel"
        case .train: "train"
        case .index: "index"
        case .add: "add"
        case .search: "search"
        case .infer: "infer"
        case .serve: "serve"
        case .race: "race"
        case .nest: "nest"
        case .consumer: "consumer"
        }
    }

    /// Runtime names this step uses.
    package var runtimes: [String] {
        switch self {
        case .load(let r), .initialize(let r), .parallel(let r), .consumer(let r, _): [r]
        case .train(let r, _), .index(let r, _), .add(let r, _), .search(let r, _), .infer(let r, _): [r]
        case .serve(let a, let b, _), .race(let a, let b), .nest(let a, let b): [a, b]
        case .setenv, .unsetenv: []
        }
    }

    /// Whether this step opens at least one parallel region (and so initializes its runtime).
    package var opensParallelRegion: Bool {
        switch self {
        case .parallel, .train, .index, .search, .infer, .serve, .race, .nest, .consumer: true
        case .load, .initialize, .setenv, .unsetenv, .add: false
        }
    }

    /// The canonical text form; `Plan.parse` reads it back to an equal step.
    package var text: String {
        switch self {
        case .load(let r), .initialize(let r), .parallel(let r): "\(verb) \(r)"
        case .setenv(let k, let v): "setenv \(k)=\(v)"
        case .unsetenv(let k): "unsetenv \(k)"
        case .train(let r, let s), .index(let r, let s), .add(let r, let s), .search(let r, let s), .infer(let r, let s):
            s.isEmpty ? "\(verb) \(r)" : "\(verb) \(r) \(s.text)"
        case .serve(let a, let b, let s):
            s.isEmpty ? "serve \(a) \(b)" : "serve \(a) \(b) \(s.text)"
        case .race(let a, let b), .nest(let a, let b): "\(verb) \(a) \(b)"
        case .consumer(let r, let global): global ? "consumer \(r) global" : "consumer \(r)"
        }
    }
}

/// Optional `key=value` sizes on a workload step, e.g. `train a steps=5 dim=768 batch=8`.
/// Anything left unset takes the seed doc's verification shapes (see ``Sizes/Defaults``).
package struct Sizes: Sendable, Hashable {
    package var values: [(key: String, value: Int)]

    package init(_ values: [(key: String, value: Int)] = []) { self.values = values }

    package var isEmpty: Bool { values.isEmpty }

    package subscript(_ key: String) -> Int? {
        values.last(where: { $0.key == key })?.value
    }

    package func value(_ key: String, default d: Int) -> Int { self[key] ?? d }

    package var text: String { values.map { "\($0.key)=\($0.value)" }.joined(separator: " ") }

    package static func == (l: Sizes, r: Sizes) -> Bool {
        l.values.count == r.values.count && zip(l.values, r.values).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }

    package func hash(into h: inout Hasher) {
        for (k, v) in values { h.combine(k); h.combine(v) }
    }

    /// The seed doc's verification shapes.
    package enum Defaults {
        package static let dim = 768
        package static let batch = 8
        package static let steps = 5
        package static let vectors = 100
        package static let queries = 16
        package static let k = 10
        package static let requests = 32
        package static let threads = 4
    }

    /// The largest value of a size: 1,024 server threads (each a real thread with its own stack;
    /// more is a fork bomb, not a test), 16,777,216 for the others.
    package static func maximum(of key: String) -> Int { key == "threads" ? 1024 : 1 << 24 }

    /// Keys each verb accepts.
    package static func allowedKeys(for verb: String) -> [String] {
        switch verb {
        case "train": ["steps", "dim", "batch"]
        case "infer": ["dim", "batch"]
        case "index", "add": ["n", "dim", "queries", "k"]
        case "search": ["queries", "k"]
        case "serve": ["requests", "threads", "dim", "batch", "n", "queries", "k"]
        default: []
        }
    }
}
