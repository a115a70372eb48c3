import Foundation
import Testing
@testable import OpenMPConformance

@Suite("Baseline parsing")
struct BaselineTests {
    static let good = """
    {
      "schemaVersion": 1,
      "hostKey": "debian12-x86_64-glibc2.36",
      "cells": {
        "linux-cpu-training/intel+llvm14/unset/framework-first/load+init": { "allowed": ["duplicate-runtime-abort"] },
        "linux-cpu-training/llvm14+llvm16/exported/framework-first/load+init": {
          "allowed": ["pass", "hang-at-exit"],
          "note": "Error #13 at exit"
        }
      }
    }
    """

    static func parse(_ text: String) throws -> Baseline { try Baseline.parse(Data(text.utf8), file: "baselines/debian12.json") }

    @Test func parsesAGoodBaseline() throws {
        let b = try Self.parse(Self.good)
        #expect(b.hostKey == "debian12-x86_64-glibc2.36")
        #expect(b.cells.count == 2)
        let flaky = try #require(b.cells["linux-cpu-training/llvm14+llvm16/exported/framework-first/load+init"])
        #expect(flaky.allowed == [.pass, .hangAtExit])
        #expect(flaky.note == "Error #13 at exit")
    }

    @Test func duplicateCellIdIsAnError() throws {
        let text = """
        {
          "schemaVersion": 1,
          "hostKey": "h",
          "cells": {
            "a/b": { "allowed": ["pass"] },
            "c/d": { "allowed": ["hang"] },
            "a/b": { "allowed": ["crash"] }
          }
        }
        """
        let error = try #require(throws: InputError.self) { try Self.parse(text) }
        #expect(error.description == "baselines/debian12.json:7:5: cell \"a/b\" is listed twice (first at line 5, column 5)")
    }

    @Test func duplicateKeyInsideAnEntryIsAnError() throws {
        let text = "{\"schemaVersion\": 1, \"hostKey\": \"h\", \"cells\": {\"a\": {\"allowed\": [\"pass\"], \"allowed\": [\"hang\"]}}}"
        let error = try #require(throws: InputError.self) { try Self.parse(text) }
        #expect(error.message.hasPrefix("duplicate key \"allowed\" in cells.a"))
        #expect(error.line == 1 && error.column == 75)
    }

    @Test func unknownOutcomeNamesTheWordAndTheCell() throws {
        let text = Self.good.replacingOccurrences(of: "\"hang-at-exit\"", with: "\"hangs-at-exit\"")
        let error = try #require(throws: InputError.self) { try Self.parse(text) }
        #expect(error.message.hasPrefix("unknown outcome \"hangs-at-exit\" in cell \"linux-cpu-training/llvm14+llvm16/exported/framework-first/load+init\""))
        #expect(error.message.contains("known outcomes: launch-failed, duplicate-runtime-abort"))
        #expect(error.line == 7)
        #expect(error.column == 27)
    }

    @Test func emptyOrRepeatedAllowedListIsAnError() throws {
        let empty = Self.good.replacingOccurrences(of: "[\"duplicate-runtime-abort\"]", with: "[]")
        #expect(try #require(throws: InputError.self) { try Self.parse(empty) }.message.contains("\"allowed\" is empty"))
        let twice = Self.good.replacingOccurrences(of: "[\"duplicate-runtime-abort\"]", with: "[\"pass\", \"pass\"]")
        #expect(try #require(throws: InputError.self) { try Self.parse(twice) }.message.contains("outcome \"pass\" is listed twice"))
    }

    @Test func otherShapeErrors() throws {
        let version = Self.good.replacingOccurrences(of: "\"schemaVersion\": 1", with: "\"schemaVersion\": 3")
        let v = try #require(throws: InputError.self) { try Self.parse(version) }
        #expect(v.description == "baselines/debian12.json:2:20: written by schema 3, this tool reads 1")

        let noHost = Self.good.replacingOccurrences(of: "\"hostKey\": \"debian12-x86_64-glibc2.36\",", with: "")
        #expect(try #require(throws: InputError.self) { try Self.parse(noHost) }.message.contains("missing key \"hostKey\""))

        let badNote = Self.good.replacingOccurrences(of: "\"Error #13 at exit\"", with: "13")
        let n = try #require(throws: InputError.self) { try Self.parse(badNote) }
        #expect(n.message.contains("cells.linux-cpu-training/llvm14+llvm16/exported/framework-first/load+init.note"))
        #expect(n.message.contains("expected a string, found integer"))

        let truncated = String(Self.good.dropLast(20))
        let t = try #require(throws: InputError.self) { try Self.parse(truncated) }
        #expect(t.message.contains("truncated"))
    }
}
