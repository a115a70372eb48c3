import Foundation
import Testing
@testable import OpenMPConformance

/// Namespace for the runtimes area's suites (`swift test --filter RuntimesTests`).
enum RuntimesTests {}

/// Real files the runtime tests read. Provisioned runtimes come from the manifest written by
/// `omp-matrix provision`; a missing one is recorded as a test issue, never skipped silently.
enum RuntimeFixtures {
    static let gnuSystem = "/usr/lib/x86_64-linux-gnu/libgomp.so.1"
    static let debianIOMP5 = "/usr/lib/x86_64-linux-gnu/libiomp5.so"
    static let libc = "/usr/lib/x86_64-linux-gnu/libc.so.6"
    static let libm = "/usr/lib/x86_64-linux-gnu/libm.so.6"
    static let openblas = "/usr/lib/x86_64-linux-gnu/libopenblas.so.0"

    /// The catalog from the manifest (honours `OMP_CONFORMANCE_RUNTIMES`), or nil with an issue recorded.
    static func catalog(sourceLocation: Testing.SourceLocation = #_sourceLocation) -> RuntimeCatalog? {
        do {
            var env = ProcessInfo.processInfo.environment
            env[RuntimeCatalog.discoverVariable] = nil
            return try RuntimeCatalog(environment: env)
        } catch {
            Issue.record("runtime manifest unavailable: \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    /// The provisioned runtime `name`, or nil with an issue recorded saying why.
    static func runtime(_ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> RuntimeRecord? {
        guard let catalog = catalog(sourceLocation: sourceLocation) else { return nil }
        guard let r = catalog.runtime(named: name) else {
            Issue.record("runtime \(name) is not in \(catalog.manifestURL.path); run `swift run omp-matrix provision`",
                         sourceLocation: sourceLocation)
            return nil
        }
        guard FileManager.default.fileExists(atPath: r.path) else {
            Issue.record("runtime \(name) is listed at \(r.path) but the file is missing; run `swift run omp-matrix provision`",
                         sourceLocation: sourceLocation)
            return nil
        }
        return r
    }

    /// A system file the tests rely on, or nil with an issue recorded.
    static func systemFile(_ path: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> String? {
        guard FileManager.default.fileExists(atPath: path) else {
            Issue.record("\(path) is missing on this host (Debian 12 x86_64 with the provisioned packages expected)",
                         sourceLocation: sourceLocation)
            return nil
        }
        return path
    }

    /// A fresh temporary directory, removed by the caller with `cleanup`.
    static func temporaryDirectory(_ label: String) throws -> URL {
        try makeTemporaryDirectory("omp-rt-\(label)")
    }

    /// Runs a command to completion and returns its exit status and stdout.
    @discardableResult
    static func run(_ argv: [String]) async throws -> (status: Int32, output: String) {
        let r = try await TestProcess.run(["/usr/bin/env"] + argv)
        return (r.terminationStatus, r.output)
    }
}

/// Byte-level builders for small binaries the tests need but the host does not have.
enum BinaryBuilder {
    static func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xff), UInt8((v >> 8) & 0xff)] }
    static func le32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8((v >> ($0 * 8)) & 0xff) } }
    static func le64(_ v: Int) -> [UInt8] { (0..<8).map { UInt8((v >> ($0 * 8)) & 0xff) } }
    static func be32(_ v: Int) -> [UInt8] { le32(v).reversed() }

    /// A bare ELF header: no sections, no segments.
    static func elfHeader(is64: Bool, machine: Int, type: Int = 3) -> [UInt8] {
        var b: [UInt8] = [0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, 1, 1, 0] + [UInt8](repeating: 0, count: 8)
        b += le16(type) + le16(machine) + le32(1)
        if is64 {
            b += le64(0) + le64(0) + le64(0) + le32(0) + le16(64) + le16(56) + le16(0) + le16(64) + le16(0) + le16(0)
        } else {
            b += le32(0) + le32(0) + le32(0) + le32(0) + le16(52) + le16(32) + le16(0) + le16(40) + le16(0) + le16(0)
        }
        return b
    }

    /// A minimal 64-bit little-endian Mach-O dylib with `LC_ID_DYLIB`, `LC_SYMTAB`, an optional
    /// export trie, and some extra bytes (e.g. a banner) after the string table.
    static func machODylib(cpuType: Int, installName: String, symbols: [(name: String, type: UInt8)],
                           trie: [UInt8] = [], trailer: [UInt8] = []) -> [UInt8] {
        var nameBytes = Array(installName.utf8) + [0]
        while (24 + nameBytes.count) % 8 != 0 { nameBytes.append(0) }
        let idCmdSize = 24 + nameBytes.count
        let symtabCmdSize = 24
        let trieCmdSize = trie.isEmpty ? 0 : 16
        let ncmds = trie.isEmpty ? 2 : 3
        let sizeofcmds = idCmdSize + symtabCmdSize + trieCmdSize
        let symoff = 32 + sizeofcmds
        var strtab: [UInt8] = [0]
        var nlist: [UInt8] = []
        for s in symbols {
            let strx = strtab.count
            strtab += Array(s.name.utf8) + [0]
            nlist += le32(strx) + [s.type, s.type & 0x0e == 0x0e ? 1 : 0] + le16(0) + le64(0x1000)
        }
        let stroff = symoff + nlist.count
        let trieOffset = stroff + strtab.count
        var b: [UInt8] = le32(0xfeedfacf) + le32(cpuType) + le32(3) + le32(6) + le32(ncmds) + le32(sizeofcmds) + le32(0) + le32(0)
        b += le32(0xd) + le32(idCmdSize) + le32(24) + le32(0) + le32(0x10000) + le32(0x10000) + nameBytes
        b += le32(0x2) + le32(symtabCmdSize) + le32(symoff) + le32(symbols.count) + le32(stroff) + le32(strtab.count)
        if !trie.isEmpty { b += le32(0x8000_0033) + le32(16) + le32(trieOffset) + le32(trie.count) }
        b += nlist + strtab + trie + trailer
        return b
    }

    /// A fat (universal) file holding `slices`, each aligned to 4 KiB.
    static func fat(_ slices: [(cpuType: Int, bytes: [UInt8])]) -> [UInt8] {
        var header: [UInt8] = be32(0xcafebabe) + be32(slices.count)
        var body: [UInt8] = []
        var offset = 4096
        for s in slices {
            header += be32(s.cpuType) + be32(0) + be32(offset) + be32(s.bytes.count) + be32(12)
            body += s.bytes
            let padded = (s.bytes.count + 4095) / 4096 * 4096
            body += [UInt8](repeating: 0, count: padded - s.bytes.count)
            offset += padded
        }
        return header + [UInt8](repeating: 0, count: 4096 - header.count) + body
    }
}
