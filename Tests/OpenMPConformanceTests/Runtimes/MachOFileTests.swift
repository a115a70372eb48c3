import Foundation
import Testing
@testable import OpenMPConformance

extension RuntimesTests {
    @Suite("Mach-O file reader (hand-built fixtures)")
    struct MachOFileTests {
        static let x86_64 = 0x0100_0007
        static let arm64 = 0x0100_000c

        /// A libomp-like dylib: the KMP entry point, an API function, an import, a private
        /// extern and a debugging (stab) entry, plus LLVM's banner.
        static func libompLike(cpuType: Int, trie: [UInt8] = []) -> [UInt8] {
            BinaryBuilder.machODylib(
                cpuType: cpuType, installName: "/opt/homebrew/opt/libomp/lib/libomp.dylib",
                symbols: [("___kmpc_fork_call", 0x0f), ("_omp_get_num_threads", 0x0f), ("_malloc", 0x01),
                          ("_hidden_helper", 0x1f), ("_stab_entry", 0x24), ("_local_static", 0x0e)],
                trie: trie,
                trailer: Array("\0@(#) LLVM OMP version: 5.0.20140926\0@(#) LLVM OMP build compiler: Clang 18.1\0".utf8))
        }

        /// An export trie with one terminal: `_from_trie_only`.
        static let trie: [UInt8] = {
            let label = Array("_from_trie_only".utf8) + [0]
            // root: no terminal info, one child edge to the node at offset `childOffset`.
            let childOffset = 1 + 1 + label.count + 1
            var t: [UInt8] = [0, 1] + label + [UInt8(childOffset)]
            // child: terminal info of 2 bytes (flags 0, address 0x10), no children.
            t += [2, 0, 0x10, 0]
            return t
        }()

        @Test("thin 64-bit dylib: install name and defined external symbols only")
        func thin() throws {
            let m = try MachOFile(bytes: Self.libompLike(cpuType: Self.x86_64), name: "libomp.dylib")
            #expect(!m.isFat)
            #expect(m.slices.count == 1)
            let s = try #require(m.slices.first)
            #expect(s.architecture == "x86_64")
            #expect(s.is64Bit)
            #expect(s.isDylib)
            #expect(s.installName == "/opt/homebrew/opt/libomp/lib/libomp.dylib")
            #expect(Set(s.exportedSymbols) == ["__kmpc_fork_call", "omp_get_num_threads"])
            #expect(m.defines("__kmpc_fork_call"))
            #expect(!m.defines("malloc"), "an undefined import is not exported")
            #expect(!m.defines("hidden_helper"), "a private extern is not exported")
            #expect(!m.defines("stab_entry"))
            #expect(!m.defines("local_static"), "a non-external symbol is not exported")
        }

        @Test("fat file: both slices, export trie names included")
        func fat() throws {
            let bytes = BinaryBuilder.fat([(Self.x86_64, Self.libompLike(cpuType: Self.x86_64)),
                                           (Self.arm64, Self.libompLike(cpuType: Self.arm64, trie: Self.trie))])
            #expect(MachOFile.hasMagic(bytes))
            let m = try MachOFile(bytes: bytes, name: "universal.dylib")
            #expect(m.isFat)
            #expect(m.slices.map(\.architecture) == ["x86_64", "arm64"])
            #expect(m.slices[1].exportedSymbols.contains("from_trie_only"))
            #expect(!m.slices[0].exportedSymbols.contains("from_trie_only"))
            #expect(m.slices.allSatisfy { $0.exportedSymbols.contains("__kmpc_fork_call") })
        }

        @Test("identified as an LLVM KMP runtime from its bytes")
        func identity() throws {
            let bytes = BinaryBuilder.fat([(Self.x86_64, Self.libompLike(cpuType: Self.x86_64)),
                                           (Self.arm64, Self.libompLike(cpuType: Self.arm64))])
            let id = try #require(RuntimeIdentity.identify(bytes: bytes, path: "libomp.dylib"))
            #expect(id.format == .machO)
            #expect(id.family == .kmp)
            #expect(id.vendor == .llvm)
            #expect(id.version == "18.1")
            #expect(id.architecture == "x86_64+arm64")
            #expect(id.soname == "/opt/homebrew/opt/libomp/lib/libomp.dylib")
            #expect(id.sha256 == SHA256.hex(of: bytes))
        }

        @Test("a dylib without OpenMP entry points is not a runtime")
        func notRuntime() throws {
            let bytes = BinaryBuilder.machODylib(cpuType: Self.arm64, installName: "/usr/lib/libfoo.dylib",
                                                 symbols: [("_foo", 0x0f), ("___kmpc_fork_call", 0x01)])
            #expect(try MachOFile(bytes: bytes, name: "libfoo.dylib").defines("foo"))
            #expect(RuntimeIdentity.identify(bytes: bytes, path: "libfoo.dylib") == nil,
                    "importing __kmpc_fork_call does not make a runtime")
        }

        @Test("rejects other formats and damaged tables")
        func rejects() throws {
            #expect(!MachOFile.hasMagic(Array("plain text".utf8)))
            // A Java class file also starts with 0xcafebabe; its next word is a version, not a slice count.
            #expect(!MachOFile.hasMagic([0xca, 0xfe, 0xba, 0xbe, 0x00, 0x00, 0x00, 0x34]))
            #expect(throws: BinaryFileError.self) { try MachOFile(bytes: Array("plain text".utf8), name: "t") }
            var damaged = Self.libompLike(cpuType: Self.x86_64)
            damaged.removeLast(damaged.count - 120) // symbol and string tables now point past the end
            #expect(throws: BinaryFileError.self) { try MachOFile(bytes: damaged, name: "damaged") }
        }
    }
}
