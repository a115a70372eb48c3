import Foundation
import Testing
@testable import OpenMPConformance

/// The real Windows DLLs the PE tests read: Intel's `libiomp5md.dll` from the `intel-openmp`
/// 2026.2.0 win_amd64 wheel, Microsoft's `vcomp140.dll` and `msvcp140_1.dll` (a DLL without
/// OpenMP) from the `msvc-runtime` wheel, and those two wheels.
///
/// Looked up in `$OMP_CONFORMANCE_PE_FIXTURES`, else in `pe-fixtures/` of the runtime cache
/// (`bash Scripts/provision-pe-fixtures.sh` puts them there, checked against pinned SHA-256).
/// When absent, the tests that need them are skipped with that reason.
enum PEFixtures {
    static let variable = "OMP_CONFORMANCE_PE_FIXTURES"

    static let directory: String? = {
        if let d = ProcessInfo.processInfo.environment[variable], !d.isEmpty { return d }
        return (try? RuntimeCatalog.directory())?.appendingPathComponent("pe-fixtures").path
    }()

    static func file(_ name: String) -> String? {
        guard let d = directory else { return nil }
        let p = d + "/" + name
        return FileManager.default.fileExists(atPath: p) ? p : nil
    }

    static let iomp = "libiomp5md.dll", vcomp = "vcomp140.dll", plain = "msvcp140_1.dll"
    static let intelWheel = "wheels/intel_openmp-2026.2.0-py2.py3-none-win_amd64.whl"
    static let msvcWheel = "wheels/msvc_runtime-14.51.36231-cp312-cp312-win_amd64.whl"

    static var available: Bool { [iomp, vcomp, plain, intelWheel, msvcWheel].allSatisfy { file($0) != nil } }

    /// `objdump -p` of a DLL: an independent reader to compare with.
    static func objdump(_ path: String) async throws -> (exports: Set<String>, dlls: [String]) {
        let out = try await RuntimeFixtures.run(["objdump", "-p", path]).output
        var exports: Set<String> = [], dlls: [String] = []
        var inNames = false
        for line in out.split(separator: "\n", omittingEmptySubsequences: false) {
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("DLL Name: ") { dlls.append(String(t.dropFirst(10))) }
            if t.hasPrefix("[Ordinal/Name Pointer] Table") { inNames = true; continue }
            if inNames {
                guard t.hasPrefix("["), let close = t.firstIndex(of: "]") else { inNames = false; continue }
                exports.insert(t[t.index(after: close)...].trimmingCharacters(in: .whitespaces))
            }
        }
        return (exports, dlls)
    }
}

/// Builds small PE32+ DLLs: one `.rdata` section holding an export directory, an import
/// directory and, optionally, a version resource.
enum PEBuilder {
    typealias B = BinaryBuilder
    static let sectionRVA = 0x1000, fileAlignment = 0x200

    static func utf16z(_ s: String) -> [UInt8] { s.utf16.flatMap { B.le16(Int($0)) } + [0, 0] }
    static func pad4(_ b: inout [UInt8]) { while b.count % 4 != 0 { b.append(0) } }

    /// One `VS_VERSIONINFO`-style node.
    static func versionNode(_ key: String, value: [UInt8], text: Bool, children: [[UInt8]] = []) -> [UInt8] {
        var b = B.le16(0) + B.le16(text ? value.count / 2 : value.count) + B.le16(text ? 1 : 0) + utf16z(key)
        pad4(&b)
        b += value
        for c in children { pad4(&b); b += c }
        let length = B.le16(b.count)
        b[0] = length[0]; b[1] = length[1]
        return b
    }

    static func versionInfo(_ strings: [(String, String)], fixed: (Int, Int, Int, Int)) -> [UInt8] {
        let ffi = B.le32(0xfeef04bd) + B.le32(0x10000) + B.le32(fixed.0 << 16 | fixed.1) + B.le32(fixed.2 << 16 | fixed.3)
            + [UInt8](repeating: 0, count: 36)
        let table = versionNode("040904b0", value: [], text: true, children: strings.map { versionNode($0.0, value: utf16z($0.1), text: true) })
        return versionNode("VS_VERSION_INFO", value: ffi, text: false,
                           children: [versionNode("StringFileInfo", value: [], text: true, children: [table])])
    }

    /// A DLL for `machine` (0x8664, 0xaa64, 0x14c) with PE32+ (`0x20b`) or PE32 (`0x10b`) headers.
    /// `exportNamesRVA` overrides where the export directory says its name table is.
    static func dll(machine: Int = 0x8664, magic: Int = 0x20b, name: String = "libfake.dll", exports: [String],
                    imports: [(dll: String, functions: [String])] = [("KERNEL32.dll", ["GetProcAddress", "LoadLibraryW"])],
                    version: [(String, String)]? = nil, exportNamesRVA: Int? = nil) -> [UInt8] {
        var data: [UInt8] = []
        func rva(_ offset: Int) -> Int { sectionRVA + offset }
        func cstring(_ s: String) -> Int { let at = data.count; data += Array(s.utf8) + [0]; return at }
        // Export directory, 40 bytes, filled in once the tables are placed.
        data += [UInt8](repeating: 0, count: 40)
        let functions = data.count
        data += [UInt8](repeating: 0, count: 4 * exports.count)
        let namePointers = data.count
        data += [UInt8](repeating: 0, count: 4 * exports.count)
        let ordinals = data.count
        for i in exports.indices { data += B.le16(i) }
        let dllName = cstring(name)
        for (i, e) in exports.enumerated() {
            let at = cstring(e)
            data.replaceSubrange(namePointers + 4 * i ..< namePointers + 4 * i + 4, with: B.le32(rva(at)))
        }
        let exportDir = B.le32(0) + B.le32(0) + B.le32(0) + B.le32(rva(dllName)) + B.le32(1) + B.le32(exports.count)
            + B.le32(exports.count) + B.le32(rva(functions)) + B.le32(exportNamesRVA ?? rva(namePointers)) + B.le32(rva(ordinals))
        data.replaceSubrange(0..<40, with: exportDir)
        let exportSize = data.count
        // Imports: descriptors, then each DLL's lookup table and hint/name entries.
        while data.count % 8 != 0 { data.append(0) }
        let descriptors = data.count
        data += [UInt8](repeating: 0, count: 20 * (imports.count + 1))
        for (i, imp) in imports.enumerated() {
            let lookup = data.count
            data += [UInt8](repeating: 0, count: 8 * (imp.functions.count + 1))
            for (j, f) in imp.functions.enumerated() {
                let hint = data.count
                data += B.le16(j) + Array(f.utf8) + [0]
                if data.count % 2 != 0 { data.append(0) }
                data.replaceSubrange(lookup + 8 * j ..< lookup + 8 * j + 8, with: B.le64(rva(hint)))
            }
            let dll = cstring(imp.dll)
            let d = B.le32(rva(lookup)) + B.le32(0) + B.le32(0) + B.le32(rva(dll)) + B.le32(rva(lookup))
            data.replaceSubrange(descriptors + 20 * i ..< descriptors + 20 * i + 20, with: d)
        }
        // Resource tree: type 16 → name 1 → language 0x409 → data entry → VS_VERSIONINFO.
        var resource: (offset: Int, size: Int)?
        if let version {
            pad4(&data)
            let root = data.count
            let info = versionInfo(version, fixed: (1, 2, 3, 4))
            data += B.le32(0) + B.le32(0) + B.le16(0) + B.le16(0) + B.le16(0) + B.le16(1) + B.le32(16) + B.le32(0x8000_0000 | 0x18)
            data += B.le32(0) + B.le32(0) + B.le16(0) + B.le16(0) + B.le16(0) + B.le16(1) + B.le32(1) + B.le32(0x8000_0000 | 0x30)
            data += B.le32(0) + B.le32(0) + B.le16(0) + B.le16(0) + B.le16(0) + B.le16(1) + B.le32(0x409) + B.le32(0x48)
            data += B.le32(rva(root + 0x58)) + B.le32(info.count) + B.le32(0) + B.le32(0)
            data += info
            resource = (root, data.count - root)
        }
        while data.count % fileAlignment != 0 { data.append(0) }

        var dirs = [UInt8](repeating: 0, count: 16 * 8)
        func setDir(_ i: Int, _ r: Int, _ size: Int) { dirs.replaceSubrange(8 * i ..< 8 * i + 8, with: B.le32(r) + B.le32(size)) }
        setDir(0, rva(0), exportSize)
        setDir(1, rva(descriptors), 20 * (imports.count + 1))
        if let resource { setDir(2, rva(resource.offset), resource.size) }

        var opt = B.le16(magic) + [14, 0] + B.le32(data.count) + B.le32(0) + B.le32(0) + B.le32(0) + B.le32(sectionRVA)
        opt += B.le64(0x1_8000_0000) + B.le32(sectionRVA) + B.le32(fileAlignment) + B.le16(6) + B.le16(0) + B.le16(0) + B.le16(0)
        opt += B.le16(6) + B.le16(0) + B.le32(0) + B.le32(sectionRVA + data.count) + B.le32(fileAlignment) + B.le32(0)
        opt += B.le16(2) + B.le16(0x160) + B.le64(0x100000) + B.le64(0x1000) + B.le64(0x100000) + B.le64(0x1000) + B.le32(0) + B.le32(16)
        opt += dirs
        var file: [UInt8] = [0x4d, 0x5a] + [UInt8](repeating: 0, count: 58) + B.le32(0x40)
        file += Array("PE".utf8) + [0, 0] + B.le16(machine) + B.le16(1) + B.le32(0) + B.le32(0) + B.le32(0) + B.le16(opt.count) + B.le16(0x2022)
        file += opt
        file += Array(".rdata".utf8) + [0, 0] + B.le32(data.count) + B.le32(sectionRVA) + B.le32(data.count) + B.le32(fileAlignment)
            + B.le32(0) + B.le32(0) + B.le16(0) + B.le16(0) + B.le32(0x4000_0040)
        file += [UInt8](repeating: 0, count: fileAlignment - file.count)
        return file + data
    }

    static let kmpExports = ["__kmpc_fork_call", "_vcomp_fork", "omp_get_max_threads"]
    static var kmpLike: [UInt8] {
        dll(name: "libiomp5md.dll", exports: kmpExports, version: [("CompanyName", "Fake Corp"), ("FileVersion", "20991231"), ("ProductVersion", "2099.1")])
            + Array("\0@(#) Intel(R) OMP version: 5.0.20991231\0".utf8)
    }
}

extension RuntimesTests {
    @Suite("PE reader: real DLLs from the pinned wheels")
    struct PEFileRealTests {
        @Test("libiomp5md.dll: x86-64 DLL; exports and imports as objdump reads them; version resource",
              .enabled(if: PEFixtures.available, "Windows DLL fixtures not provisioned: run bash Scripts/provision-pe-fixtures.sh or set OMP_CONFORMANCE_PE_FIXTURES"))
        func intel() async throws {
            let path = try #require(PEFixtures.file(PEFixtures.iomp))
            let dll = try PEFile(path: path)
            #expect(dll.architecture == "x86_64")
            #expect(dll.isDLL)
            let oracle = try await PEFixtures.objdump(path)
            #expect(Set(dll.exports) == oracle.exports)
            #expect(dll.imports.filter { !$0.delayLoaded }.map(\.dll) == oracle.dlls)
            #expect(dll.imports.contains { $0.dll == "KERNEL32.dll" && $0.functions.contains("GetProcAddress") })
            #expect(dll.defines("__kmpc_fork_call"))
            #expect(dll.exportName?.lowercased() == "libiomp5md.dll")
            #expect(dll.versionString("CompanyName") == "Intel Corporation")
            let id = try #require(try RuntimeIdentity.identify(path: path))
            #expect(id.format == .pe)
            #expect(id.family == .kmp)
            #expect(id.vendor == .intel)
            // The build date appears both in the banner and in the version resource.
            let build = try #require(id.fileVersion)
            #expect(id.version.hasSuffix(build), "banner \(id.version), FileVersion \(build)")
            #expect(id.importedDLLs?.contains("KERNEL32.dll") == true)
        }

        @Test("vcomp140.dll: Microsoft's family, version from the resource; a DLL without OpenMP is not a runtime",
              .enabled(if: PEFixtures.available, "Windows DLL fixtures not provisioned: run bash Scripts/provision-pe-fixtures.sh or set OMP_CONFORMANCE_PE_FIXTURES"))
        func microsoft() async throws {
            let vcomp = try #require(PEFixtures.file(PEFixtures.vcomp))
            let dll = try PEFile(path: vcomp)
            #expect(Set(dll.exports) == (try await PEFixtures.objdump(vcomp)).exports)
            let id = try #require(try RuntimeIdentity.identify(path: vcomp))
            #expect(id.family == .vcomp)
            #expect(id.vendor == .microsoft)
            #expect(id.versionSource == "version-resource")
            #expect(id.version == dll.versionString("FileVersion"))
            #expect(id.version.hasPrefix("14."))
            let plain = try #require(PEFixtures.file(PEFixtures.plain))
            #expect(try PEFile(path: plain).exports.count > 0)
            #expect(try RuntimeIdentity.identify(path: plain) == nil)
        }

        @Test("scan: two copies of libiomp5md.dll at two paths conflict with the Windows rule stated; vcomp140 takes no part",
              .enabled(if: PEFixtures.available, "Windows DLL fixtures not provisioned: run bash Scripts/provision-pe-fixtures.sh or set OMP_CONFORMANCE_PE_FIXTURES"))
        func scan() throws {
            let dir = try RuntimeFixtures.temporaryDirectory("pe-scan")
            defer { try? FileManager.default.removeItem(at: dir) }
            for sub in ["torch/lib", "ctranslate2", "sklearn/.libs"] {
                try FileManager.default.createDirectory(at: dir.appendingPathComponent(sub), withIntermediateDirectories: true)
            }
            try FileManager.default.copyItem(atPath: PEFixtures.file(PEFixtures.iomp)!, toPath: dir.path + "/torch/lib/libiomp5md.dll")
            try FileManager.default.copyItem(atPath: PEFixtures.file(PEFixtures.iomp)!, toPath: dir.path + "/ctranslate2/libiomp5md.dll")
            try FileManager.default.copyItem(atPath: PEFixtures.file(PEFixtures.vcomp)!, toPath: dir.path + "/sklearn/.libs/VCOMP140.DLL")
            let report = try RuntimeScanner().scan(paths: [dir.path])
            #expect(report.runtimes.count == 3)
            #expect(report.conflicts.count == 1)
            let c = try #require(report.conflicts.first)
            #expect(c.sameContent)
            #expect(c.prediction.contains("loaded by full path") && c.prediction.contains("Wine"))
            #expect(report.notes.contains { $0.contains("Microsoft vcomp") })
            #expect(report.notes.contains(RuntimeScanner.windowsLoaderRule))
        }

        @Test("wheels: the DLL members are identified by content",
              .enabled(if: PEFixtures.available, "Windows DLL fixtures not provisioned: run bash Scripts/provision-pe-fixtures.sh or set OMP_CONFORMANCE_PE_FIXTURES"))
        func wheels() throws {
            let intel = WheelScan.scan(wheel: URL(fileURLWithPath: try #require(PEFixtures.file(PEFixtures.intelWheel))))
            #expect(intel.error == nil)
            #expect(intel.libraries.map(\.kind) == [.intel])
            #expect(intel.libraries.first?.path.hasSuffix("/libiomp5md.dll") == true)
            let msvc = WheelScan.scan(wheel: URL(fileURLWithPath: try #require(PEFixtures.file(PEFixtures.msvcWheel))))
            #expect(Set(msvc.libraries.map(\.kind)) == [.microsoft])
        }

        @Test("doctor PATH: Windows DLLs are listed and judged by the loader rule, never loaded",
              .enabled(if: PEFixtures.available, "Windows DLL fixtures not provisioned: run bash Scripts/provision-pe-fixtures.sh or set OMP_CONFORMANCE_PE_FIXTURES"))
        func doctor() async throws {
            let dir = try RuntimeFixtures.temporaryDirectory("pe-doctor")
            defer { try? FileManager.default.removeItem(at: dir) }
            for sub in ["a", "b"] {
                try FileManager.default.createDirectory(at: dir.appendingPathComponent(sub), withIntermediateDirectories: true)
                try FileManager.default.copyItem(atPath: PEFixtures.file(PEFixtures.iomp)!, toPath: dir.path + "/\(sub)/libiomp5md.dll")
            }
            let report = try await Doctor.diagnose(paths: [dir.path], options: .init(fixCheck: false))
            #expect(report.conflict)
            #expect(report.runtimes.count == 2)
            #expect(report.pairs.isEmpty, "a Windows DLL is never handed to the Linux probe")
            #expect(report.unreadable.isEmpty)
            #expect(report.answer.contains { $0.hasPrefix("Windows:") && $0.contains("Wine") })
        }
    }

    @Suite("PE reader: crafted and damaged files")
    struct PEFileCraftedTests {
        @Test("a crafted KMP DLL: exports, imports, version resource, identity")
        func crafted() throws {
            let bytes = PEBuilder.kmpLike
            let dll = try PEFile(bytes: bytes, name: "libiomp5md.dll")
            #expect(dll.exports == PEBuilder.kmpExports.sorted())
            #expect(dll.exportName == "libiomp5md.dll")
            #expect(dll.imports.map(\.dll) == ["KERNEL32.dll"])
            #expect(dll.imports.first?.functions == ["GetProcAddress", "LoadLibraryW"])
            #expect(dll.versionString("FileVersion") == "20991231")
            #expect(dll.versionString("ProductVersion") == "2099.1")
            #expect(dll.fixedFileVersion == "1.2.3.4")
            let id = try #require(RuntimeIdentity.identify(bytes: bytes, path: "x.dll"))
            #expect(id.family == .kmp && id.vendor == .intel && id.version == "5.0.20991231")
            #expect(id.fileVersion == "20991231" && id.productVersion == "2099.1")
        }

        @Test("family from exports, never from the file name", arguments: [
            (["_vcomp_fork", "omp_get_max_threads"], RuntimeIdentity.Family?.some(.vcomp)),
            (["GOMP_parallel"], .some(.gnu)),
            (["__kmpc_fork_call"], .some(.kmp)),
            (["DllMain", "omp_get_max_threads"], nil),
        ])
        func family(exports: [String], expected: RuntimeIdentity.Family?) throws {
            let bytes = PEBuilder.dll(name: "libiomp5md.dll", exports: exports)
            #expect(RuntimeIdentity.identify(bytes: bytes, path: "libiomp5md.dll")?.family == expected)
        }

        @Test("refused with the reason: not PE, DOS-only, 32-bit, other machines", arguments: [
            ([UInt8]("just some text, not a DLL".utf8), "no MZ header"),
            ([0x4d, 0x5a] + [UInt8](repeating: 0, count: 126), "no PE signature"),
            (PEBuilder.dll(machine: 0x14c, magic: 0x10b, exports: ["__kmpc_fork_call"]), "32-bit PE32 image for i386"),
            (PEBuilder.dll(machine: 0x1c4, exports: ["__kmpc_fork_call"]), "this one is for arm"),
        ])
        func refused(bytes: [UInt8], reason: String) {
            #expect {
                _ = try PEFile(bytes: bytes, name: "x.dll")
            } throws: { error in
                guard case BinaryFileError.wrongFormat(_, let expected) = error else { return false }
                return expected.contains(reason)
            }
            #expect(RuntimeIdentity.identify(bytes: bytes, path: "x.dll") == nil)
        }

        @Test("an arm64 DLL is read")
        func arm64() throws {
            let dll = try PEFile(bytes: PEBuilder.dll(machine: 0xaa64, exports: ["__kmpc_fork_call"]), name: "x.dll")
            #expect(dll.architecture == "arm64")
        }

        @Test("an export name table pointing outside the file is malformed, and scan says unreadable")
        func exportOutOfBounds() throws {
            let bytes = PEBuilder.dll(exports: PEBuilder.kmpExports, exportNamesRVA: 0x7fff_0000)
            #expect {
                _ = try PEFile(bytes: bytes, name: "x.dll")
            } throws: { error in
                guard case BinaryFileError.malformed(_, let r) = error else { return false }
                return r.contains("export name table")
            }
            let dir = try RuntimeFixtures.temporaryDirectory("pe-bad")
            defer { try? FileManager.default.removeItem(at: dir) }
            try Data(bytes).write(to: dir.appendingPathComponent("libiomp5md.dll"))
            let report = try RuntimeScanner().scan(paths: [dir.path])
            #expect(report.runtimes.isEmpty)
            #expect(report.skipped.contains { $0.reason.hasPrefix("unreadable: malformed") })
        }

        /// Every cut through the headers and tables of the crafted DLL: an error or "not a
        /// runtime", never a crash.
        @Test("truncated files give an error, never a crash", arguments: [2, 0x3c, 0x44, 0x58, 0x60, 0x100, 0x148, 0x170, 0x1ff, 0x200, 0x228, 0x260, 0x300])
        func truncated(length: Int) {
            let bytes = Array(PEBuilder.kmpLike.prefix(length))
            #expect(throws: BinaryFileError.self) { _ = try PEFile(bytes: bytes, name: "cut.dll") }
            #expect(RuntimeIdentity.identify(bytes: bytes, path: "cut.dll") == nil)
        }

        @Test("prefixes of the real libiomp5md.dll give an error, never a crash",
              .enabled(if: PEFixtures.available, "Windows DLL fixtures not provisioned: run bash Scripts/provision-pe-fixtures.sh or set OMP_CONFORMANCE_PE_FIXTURES"))
        func realTruncated() throws {
            let whole = try [UInt8](Data(contentsOf: URL(fileURLWithPath: try #require(PEFixtures.file(PEFixtures.iomp)))))
            for length in [64, 0x100, 0x400, 0x10000, whole.count / 2] {
                let bytes = Array(whole.prefix(length))
                // The export table sits near the end: each cut fails a bounds check somewhere.
                #expect(throws: BinaryFileError.self, "cut at \(length)") { _ = try PEFile(bytes: bytes, name: "cut.dll") }
            }
        }
    }
}
