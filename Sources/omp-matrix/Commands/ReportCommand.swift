import ArgumentParser
import Foundation
import OpenMPConformance

/// `omp-matrix report`: a results file (a matrix run or an atlas) as Markdown, JSON, JUnit, HTML, or a terminal summary.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Render a results file (default: the newest in results/).")

    @Argument(help: "The results file: a matrix run, or an atlas (md, html, summary, json).") var file: String?
    @Option(help: "The rendering (html-cells: every test case's evidence, the second page of html).") var format: ReportFormat = .md
    @Option(help: ArgumentHelp("With --format html: put every test case's evidence on this second page (written with --format html-cells) and link there.", valueName: "file name"))
    var cellsPage: String?
    @Option(help: ArgumentHelp("Write here instead of standard output (atomically).", valueName: "file")) var output: String?
    @Option(help: "Where to look for the newest results file.") var resultsDir: String = "results"
    @Flag(help: "Print the path of the newest results file and exit.") var printLatest = false
    @Option(help: ArgumentHelp("Judge the claims and the answer with this atlas file (e.g. the same job's reports/atlas.json, with its stack shapes and concurrent cells) instead of the host's snapshot.", valueName: "file"))
    var atlas: String?

    func run() async throws {
        let path = try file ?? Self.newest(in: resultsDir)
        if printLatest { print(path); return }
        // One report command for every kind of results file (one reader, by its kind): an atlas
        // renders through the atlas's renderers.
        var results: ResultsFile
        switch try ResultsInput.read(path) {
        case .matrix(let r): results = r
        case .atlas(let a): return try renderAtlas(a, path: path)
        }
        let atlas = try self.atlas.map { try AtlasInput.load(file: $0, hostKey: results.host.key) } ?? AtlasInput.load(hostKey: results.host.key)
        if self.atlas != nil, let atlas {
            // The claims judged again with the atlas given (the results file holds them judged with the snapshot).
            let manifest = Dictionary(results.host.runtimes.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            do { results.claims = results.claimsJudged(with: try Matrix.bundled(manifest: manifest), atlas: atlas) } catch {
                throw ToolExit.badInput("\(error)")
            }
        }
        // What people read: the runtime cache as $OMP_CONFORMANCE_RUNTIMES/…, the probe as $OMP_PROBE
        // (the JSON stays the results file, paths as measured).
        let shown = results.portable(.current())
        let text: String
        switch format {
        case .md: text = MarkdownReport.render(shown, atlas: atlas)
        case .json:
            // The JSON report is the results file with the answer as structured fields.
            text = String(decoding: try ResultsDocument.matrix(results.annotated(atlas: atlas)).current.encoded(), as: UTF8.self)
        case .junit: text = JUnitReport.render(shown)
        case .html: text = HTMLReport.render(shown, atlas: atlas, cellsPage: cellsPage)
        case .htmlCells: text = HTMLReport.renderCells(shown)
        case .summary: text = TerminalSummary.render(shown, color: (output == nil || output == "-") && TerminalSummary.useColorOnStandardOutput(), atlas: atlas)
        }
        try write(text)
    }

    func write(_ text: String) throws {
        if let output, output != "-" {
            do { try AtomicFile.write(Data(text.utf8), to: URL(fileURLWithPath: output)) } catch {
                throw ToolExit.writeFailed(output, error)
            }
        } else {
            // The summary is escaped by TerminalSummary itself (fields and lines), its colour added after.
            print(text)
        }
    }

    /// An atlas file (of `omp-matrix atlas`, or a snapshot) in the same formats, where they apply.
    /// The JSON is the atlas in the current format (an older file comes out rewritten as this tool writes it).
    func renderAtlas(_ atlas: AtlasResults, path: String) throws {
        let text: String
        switch format {
        case .md: text = AtlasMarkdownReport.render(atlas)
        case .html: text = AtlasHTMLReport.render(atlas)
        case .summary: text = AtlasSummaryReport.render(atlas)
        case .json:
            do { text = String(decoding: try ResultsDocument.atlas(atlas).current.encoded(), as: UTF8.self) } catch { throw ToolExit.internal("\(error)") }
        case .junit, .htmlCells:
            throw ToolExit.badInput("\(path) is an atlas: it renders as md, html, summary or json (--format \(format.rawValue) is for matrix results)")
        }
        try write(text)
    }

    /// The newest results file of `omp-matrix run` in `dir`, told by content: atlas results and other
    /// JSON files there are passed over.
    static func newest(in dir: String) throws -> String {
        let found: String?
        do { found = try ResultsKind.matrix.newest(in: dir) } catch {
            throw ToolExit.badInput("no results directory '\(dir)': run `omp-matrix run` first, or name a results file")
        }
        guard let found else {
            throw ToolExit.badInput("no results file of `omp-matrix run` in '\(dir)' (name an atlas file to render it)")
        }
        return found
    }
}

/// A results file named on the command line or found in results/, read by the one reader of
/// results files (``ResultsDocument``): unreadable, of another version, or contradicting its
/// own `kind`, it is bad input (exit 2).
enum ResultsInput {
    static func read(_ path: String, expecting: ResultsKind? = nil) throws -> ResultsDocument {
        do { return try ResultsDocument.read(URL(fileURLWithPath: path), expecting: expecting) } catch { throw ToolExit.badInput("\(error)") }
    }

    /// A matrix results file; an atlas is bad input, `use` saying what the command takes instead.
    static func matrix(_ path: String, use: String) throws -> ResultsFile {
        do { return try read(path, expecting: .matrix).matrix(file: path, use: use) } catch let error as InputError {
            throw ToolExit.badInput("\(error)")
        }
    }
}

/// The atlas snapshot of a host, when the package has one (`Matrices/atlas/<host key>.json`);
/// an unreadable one is reported on stderr and left out, never a silent gap.
enum AtlasInput {
    /// An atlas file named on the command line, with the host's Windows atlas and wheel catalog
    /// from the snapshot beside it. An unreadable file is bad input (exit 2).
    static func load(file: String, hostKey: String) throws -> AtlasEvidence {
        let read: AtlasResults
        do { read = try AtlasCodec.read(URL(fileURLWithPath: file)) } catch { throw ToolExit.badInput("\(error)") }
        var evidence = AtlasEvidence(read, source: file)
        if let snap = load(hostKey: hostKey) {
            evidence.windowsPairs = snap.windowsPairs; evidence.windowsSource = snap.windowsSource; evidence.wheelCatalog = snap.wheelCatalog
        }
        return evidence
    }

    static func load(hostKey: String) -> AtlasEvidence? {
        // Where the bundled Matrices/ live (the same root the bundled matrix is read from).
        let root = RuntimeCatalog.packageRoot() ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        do { return try AtlasEvidence.snapshot(hostKey: hostKey, root: root) } catch {
            FileHandle.standardError.write(Data("omp-matrix: the atlas is left out of the answer: \(error)\n".utf8))
            return nil
        }
    }
}

/// The terminal summary printed after a run (``TerminalSummary``), coloured only on a terminal without `NO_COLOR`.
enum SummaryText {
    static func render(_ r: ResultsFile) -> String {
        TerminalSummary.render(r.portable(.current()), color: TerminalSummary.useColorOnStandardOutput(), atlas: AtlasInput.load(hostKey: r.host.key))
    }
}
