import Foundation
import Testing
@testable import OpenMPConformance

@Suite("Matrix: selection")
struct SelectionTests {
    let m = MatrixFixtures.linux

    @Test func selectingThroughTheAPI() {
        let cells = m.select(rows: ["linux-cpu-training"], profiles: ["intel+llvm"])
        // 7 own-handle cells, and 5 stack shapes x (unset, exported) (rule 6).
        #expect(cells.count == 7 + 10)
        #expect(cells.allSatisfy { $0.row == "linux-cpu-training" && $0.profile == "intel+llvm" })
        #expect(m.select().count == m.cells.count)
        let wrappers = m.select(claims: ["export-does-not-propagate"], envModes: [.wrapperExported])
        #expect(wrappers.map(\.id) == m.cells.filter { $0.claims.contains("export-does-not-propagate") }.map(\.id))
        #expect(m.select(tags: ["server"]).allSatisfy { $0.row.hasPrefix("macos-web-server") })
        // Order is the matrix's order.
        let ids = m.select(rows: ["*@linux"]).map(\.id)
        #expect(ids == m.cells.filter { $0.row.hasSuffix("@linux") }.map(\.id) && !ids.isEmpty)
    }

    @Test func selectingThroughTheEnvironmentVariable() throws {
        let env = ["OMP_CONFORMANCE_SELECT": "row=linux-cpu-training,profile=intel+llvm"]
        #expect(try m.selectFromEnvironment(env).map(\.id) == m.select(rows: ["linux-cpu-training"], profiles: ["intel+llvm"]).map(\.id))
        // Values of one key are alternatives; keys combine.
        let two = try m.selectFromEnvironment(["OMP_CONFORMANCE_SELECT": " profile=intel+llvm, profile=gnu+llvm ,env=exported,row=*@linux"])
        #expect(!two.isEmpty && two.allSatisfy { ["intel+llvm", "gnu+llvm"].contains($0.profile) && $0.envMode == .exported && $0.origin == .analogue })
        #expect(Set(two.map(\.profile)).count == 2)
        let narrow = try m.selectFromEnvironment(["OMP_CONFORMANCE_SELECT": "claim=after-imports-too-late,ordering=interleaved,import=load+init,tag=contending"])
        #expect(narrow.count == 6 && narrow.allSatisfy { $0.ordering == .interleaved })
        #expect(try m.selectFromEnvironment([:]).count == m.cells.count)
        #expect(try m.selectFromEnvironment(["OMP_CONFORMANCE_SELECT": ""]).count == m.cells.count)
        let id = "macos-lvm-training@linux/vendored-copies/wrapper-env-i/framework-first/load+init"
        #expect(try m.selectFromEnvironment(["OMP_CONFORMANCE_SELECT": "id=\(id)"]).map(\.id) == [id])
        let sel = try m.selection(parsing: "row=inference-only,env=unset")
        #expect(sel.terms == ["row=inference-only", "env=unset"])
    }

    @Test func badSelectionsNameTheColumn() {
        func error(_ text: String) -> MatrixError? {
            do { _ = try m.selection(parsing: text); return nil } catch { return error }
        }
        let cases: [(String, Int, String)] = [
            ("row=nope", 5, "unknown row 'nope'"),
            ("row=linux-cpu-training, colour=red", 25, "unknown selection key 'colour'"),
            ("profile=intel+llvm,env=sometimes", 24, "unknown env mode 'sometimes'"),
            ("row", 1, "expected key=value"),
            ("claim=made-up", 7, "unknown claim 'made-up'"),
            ("tag=blue", 5, "unknown tag 'blue'"),
            ("id=x/*", 4, "no cell id matches"),
        ]
        for (text, column, words) in cases {
            let e = error(text)
            #expect(e?.file == "OMP_CONFORMANCE_SELECT" && e?.line == 1, "\(text)")
            #expect(e?.column == column, "\(text): \(String(describing: e))")
            #expect(e?.message.contains(words) == true, "\(text): \(String(describing: e))")
        }
    }
}
