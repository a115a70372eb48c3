import FuzzDriver
@testable import OpenMPConformance

/// Any bytes as a matrix file: the depth pre-scan and YAML parse, then each of the three
/// matrix readers over what parsed.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzYAML(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let doc = try? YAMLValue.parse(text, file: "fuzz.yaml") else { return 0 }
    if let loaded = try? MatrixLoader.profiles(doc) {
        let ids = (loaded.profiles + loaded.windowsProfiles).map(\.id)
        _ = try? MatrixLoader.applicability(doc, profileIDs: ids)
        _ = try? MatrixLoader.claims(doc, profileIDs: ids)
    } else {
        _ = try? MatrixLoader.applicability(doc, profileIDs: [])
        _ = try? MatrixLoader.claims(doc, profileIDs: [])
    }
    return 0
}

runFuzzer { fuzzYAML($0, $1) }
