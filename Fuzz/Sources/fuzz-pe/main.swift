import FuzzDriver
@testable import OpenMPConformance

/// Any bytes: the PE reader (headers, sections, exports, imports, delay imports, version
/// resource) returns or throws.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPE(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = FileBytes(bytes: Array(UnsafeBufferPointer(start: data, count: size)))
    if let p = try? PEFile(bytes: bytes, path: "fuzz") {
        _ = p.defines("__kmpc_fork_call")
        _ = p.importedDLLs
        _ = p.versionString("FileVersion")
    }
    _ = try? RuntimeIdentity.read(bytes, path: "fuzz", realPath: "fuzz")
    return 0
}

runFuzzer { fuzzPE($0, $1) }
