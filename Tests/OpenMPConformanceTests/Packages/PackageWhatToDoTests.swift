import Foundation
import Testing
@testable import OpenMPConformance

/// The package answer's "What to do": computed from the cells it cites, so a changed cell changes
/// the sentence; worded for a reader (no term of art, none of the banned phrasings); carried by
/// every format.
@Suite("Package doctor: what to do")
struct PackageWhatToDoTests {
    static let catalog = PackageDoctorTests.catalog

    /// Sets the runs of one variant of the cell `first` then `second` (a diagonal when they are equal).
    static func set(_ a: inout AtlasResults, _ first: String, _ second: String, _ variant: AtlasVariant, _ runs: [Outcome]) {
        for i in a.cells.indices where a.cells[i].first == first && a.cells[i].second == second {
            for j in a.cells[i].observations.indices where a.cells[i].observations[j].variant == variant {
                a.cells[i].observations[j].runs = runs
                a.cells[i].observations[j].outcomes = ClaimJudgement.ordered(runs)
            }
        }
    }

    static func macOS(_ change: (inout AtlasResults) -> Void = { _ in }) throws -> PackageDoctor.Answer {
        var atlas = try #require(PackageDoctorTests.atlas.0, "no atlas snapshot checked in")
        change(&atlas)
        return PackageDoctor.answer([.init(name: "torch"), .init(name: "faiss-cpu"), .init(name: "scikit-learn")], platform: .macos,
                                    catalog: try catalog.get(), atlas: atlas, atlasSource: "linux.json")
    }

    /// The atlas runtime standing in for a package's macOS runtime.
    static func standIn(_ package: String) throws -> String {
        let w = try #require(try catalog.get().wheel(package: package, platform: .macos))
        let b = PackageDoctor.Brought(package: package, version: w.version, runtime: try #require(w.runtimes.first))
        let atlas = try #require(PackageDoctorTests.atlas.0)
        return try #require(PackageDoctor.standIn(b, in: atlas).same?.name, "no stand-in for \(package)")
    }

    @Test("macOS torch + faiss-cpu + scikit-learn: one runtime, one file measured, and what the variable does, each from the cited cell")
    func macOSParagraph() throws {
        let atlas = try #require(PackageDoctorTests.atlas.0)
        let (torch, faiss, sklearn) = (try Self.standIn("torch"), try Self.standIn("faiss-cpu"), try Self.standIn("scikit-learn"))
        let a = try Self.macOS()
        let todo = try #require(a.whatToDo)
        #expect(a.lines.contains("What to do: " + todo))
        // After the pairs, before the packages.
        let at = try #require(a.lines.firstIndex { $0.hasPrefix("What to do: ") })
        #expect(a.lines[at - 1] == a.pairs.last?.answer && a.lines[at + 1].hasPrefix("Packages: "))
        let first = todo.components(separatedBy: ". ").first ?? ""
        #expect(first.contains("two of the Intel/LLVM kind") && first.contains("torch, faiss-cpu and scikit-learn each ship their own libomp.dylib"), "\(first)")
        for b in AnswerQuestionsTests.banned { #expect(!todo.contains(b), "says '\(b)': \(todo)") }
        // As the committed atlas recorded them.
        let control = try #require(atlas.cells.first { $0.first == torch && $0.second == torch && $0.diagonal == .control }?.observation(.withoutVariable)?.runs)
        #expect(todo.contains("one file of it loaded for both \(Answer.runWords(control)) without the variable (atlas cell \(torch)>\(torch)"), "\(todo)")
        let hang = atlas.cells.first { $0.first == torch && $0.second == faiss }?.observation(.withVariable)?.runs.contains(.hangAtExit) == true
        #expect(todo.contains("hangs at exit when torch's starts first, then faiss-cpu's") == hang, "\(todo)")
        let undetected = [(torch, sklearn), (sklearn, torch)].allSatisfy { x, y in
            atlas.cells.first { $0.first == x && $0.second == y }?.observation(.withoutVariable)?.runtimesRan?.contains(.twoUndetected) == true
        }
        #expect(todo.contains("The variable changes nothing for torch + scikit-learn (without it both runtimes already run") == undetected, "\(todo)")
        // Stand-ins are named as such where they decide the sentence.
        #expect(todo.contains("as their Linux stand-ins ran; whether the macOS builds detect each other is not measured here") == undetected, "\(todo)")

        // One order of torch + faiss-cpu stops hanging with the variable, the other starts: the sentence follows.
        let moved = try #require(try Self.macOS {
            Self.set(&$0, torch, faiss, .withVariable, [.pass]); Self.set(&$0, faiss, torch, .withVariable, [.hangAtExit, .pass])
        }.whatToDo)
        #expect(!moved.contains("when torch's starts first, then faiss-cpu's"), "\(moved)")
        #expect(moved.contains("it hangs at exit when faiss-cpu's starts first, then torch's (1 of 2 runs, atlas cell \(faiss)>\(torch))"), "\(moved)")
        // One file of torch's release aborting: said so.
        let oneFile = try #require(try Self.macOS { Self.set(&$0, torch, torch, .withoutVariable, [.duplicateRuntimeAbort]) }.whatToDo)
        #expect(oneFile.contains("one file of it loaded for both aborts (1 of 1 run)"), "\(oneFile)")
        // torch + scikit-learn aborting in both orders: the variable now avoids that abort too.
        let aborts = try #require(try Self.macOS {
            Self.set(&$0, torch, sklearn, .withoutVariable, [.duplicateRuntimeAbort]); Self.set(&$0, sklearn, torch, .withoutVariable, [.duplicateRuntimeAbort])
        }.whatToDo)
        #expect(aborts.contains("avoids the abort for torch + faiss-cpu and torch + scikit-learn (4 of 4 start orders abort without it)"), "\(aborts)")
        #expect(!aborts.contains("changes nothing for torch + scikit-learn"), "\(aborts)")
    }

    @Test("Windows torch + ctranslate2: each loads its own DLL by full path; the Windows atlas cells decide the rest")
    func windowsParagraph() throws {
        let w = try #require(PackageDoctorTests.windowsAtlas.0, "no Windows atlas snapshot checked in")
        func answer(_ change: (inout AtlasResults) -> Void = { _ in }) throws -> String {
            var changed = w
            change(&changed)
            let a = PackageDoctor.answer([.init(name: "torch"), .init(name: "ctranslate2")], platform: .windows, catalog: try Self.catalog.get(),
                                         atlas: PackageDoctorTests.atlas.0, atlasSource: "linux.json", windowsAtlas: changed, windowsAtlasSource: "windows.json")
            return try #require(a.whatToDo)
        }
        let todo = try answer()
        #expect(todo.contains("torch and ctranslate2 each ship their own libiomp5md.dll and load it by full path"), "\(todo)")
        for b in AnswerQuestionsTests.banned { #expect(!todo.contains(b), "says '\(b)': \(todo)") }
        let pair = try #require(PackageDoctor.answer([.init(name: "torch"), .init(name: "ctranslate2")], platform: .windows, catalog: try Self.catalog.get(),
                                                     atlas: nil, atlasSource: "", windowsAtlas: w, windowsAtlasSource: "").pairs.first)
        let ids = pair.cells.map { $0.split(separator: ">").map(String.init) }
        let aborting = w.cells.filter { c in ids.contains { $0 == [c.first, c.second] } && c.observation(.withoutVariable)?.runs.contains(.duplicateRuntimeAbort) == true }
        #expect(todo.contains("avoids the abort for torch + ctranslate2 (\(aborting.count) of") == !aborting.isEmpty, "\(todo)")
        #expect(!todo.contains("hangs at exit") || w.cells.contains { $0.observation(.withVariable)?.runs.contains(.hangAtExit) == true })
        // A hang at exit with the variable in the first cited order: named, with its cell.
        let first = try #require(ids.first)
        let hung = try answer { Self.set(&$0, first[0], first[1], .withVariable, [.hangAtExit]) }
        #expect(hung.contains("it hangs at exit when") && hung.contains("(1 of 1 run, atlas cell \(first[0])>\(first[1]))"), "\(hung)")
    }

    @Test("markdown and JSON carry the paragraph; no pair, no paragraph")
    func formats() throws {
        let a = try Self.macOS()
        let todo = try #require(a.whatToDo)
        let md = PackageDoctor.markdown(a)
        #expect(md.contains("\n**What to do.** " + MarkdownText.text(todo, limit: 100_000) + "\n"))
        #expect(!md.contains("- What to do: "))
        let json = try #require(try JSONSerialization.jsonObject(with: try ResultsCodec.encode(a)) as? [String: Any])
        #expect(json["whatToDo"] as? String == todo)
        let none = PackageDoctor.answer([.init(name: "numpy")], platform: .linux, catalog: try Self.catalog.get(), atlas: PackageDoctorTests.atlas.0, atlasSource: "")
        #expect(none.whatToDo == nil && !none.lines.contains { $0.hasPrefix("What to do: ") })
    }
}
