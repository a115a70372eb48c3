import FuzzDriver
@testable import OpenMPConformance

/// Any bytes as a wheel: the central directory reader, then each member up to 4 MiB
/// inflated and CRC-checked, then identified.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzZip(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = FileBytes(bytes: Array(UnsafeBufferPointer(start: data, count: size)))
    guard let zip = try? ZipArchive(bytes: bytes, path: "fuzz.whl") else { return 0 }
    var inflated = 0
    for m in zip.members.prefix(64) where m.uncompressedSize <= 4 << 20 && inflated < 16 << 20 {
        inflated += m.uncompressedSize
        guard let member = try? zip.contents(of: m) else { continue }
        _ = try? RuntimeIdentity.read(member, path: m.name, realPath: m.name)
    }
    return 0
}

runFuzzer { fuzzZip($0, $1) }
