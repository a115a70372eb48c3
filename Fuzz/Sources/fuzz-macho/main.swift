import FuzzDriver
@testable import OpenMPConformance

/// Any bytes: the Mach-O reader (thin and fat, symbol table, export trie) returns or throws.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMachO(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = FileBytes(bytes: Array(UnsafeBufferPointer(start: data, count: size)))
    if let m = try? MachOFile(bytes: bytes, path: "fuzz") {
        _ = m.defines("__kmpc_fork_call")
        _ = m.installName
    }
    _ = try? RuntimeIdentity.read(bytes, path: "fuzz", realPath: "fuzz")
    return 0
}

runFuzzer { fuzzMachO($0, $1) }
