import FuzzDriver
@testable import OpenMPConformance

/// Any bytes: the ELF reader returns or throws, never traps; then the identity reader and
/// the symbol queries run over whatever parsed.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzELF(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = FileBytes(bytes: Array(UnsafeBufferPointer(start: data, count: size)))
    if let elf = try? ELFFile(bytes: bytes, path: "fuzz") {
        _ = elf.exportedSymbols()
        _ = elf.defines("__kmpc_fork_call")
        _ = elf.defines("GOMP_parallel")
        _ = elf.architecture
    }
    _ = try? RuntimeIdentity.read(bytes, path: "fuzz", realPath: "fuzz")
    return 0
}

runFuzzer { fuzzELF($0, $1) }
