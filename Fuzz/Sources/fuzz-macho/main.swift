#if canImport(Glibc)
import Glibc
#endif
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

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32) -> Int32

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, { fuzzMachO($0, $1) }))
