#if canImport(Glibc)
import Glibc
#endif

/// One fuzz input: libFuzzer's `LLVMFuzzerTestOneInput` signature.
public typealias FuzzInput = @convention(c) (UnsafePointer<UInt8>, Int) -> Int32

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ callback: FuzzInput) -> Int32

/// Hands `callback` to libFuzzer's driver with this process's arguments and exits with its
/// status. Every target's `main.swift` ends here: SwiftPM gives each executable its own entry
/// point, so libFuzzer's `main` cannot be used.
public func runFuzzer(_ callback: FuzzInput) -> Never {
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, callback))
}
