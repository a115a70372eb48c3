import Foundation
import FuzzDriver
@testable import OpenMPConformance

/// Any bytes as a results file: the located JSON parser, then the one results reader (either
/// kind, any version it reads) over what parsed.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let d = Data(bytes: data, count: size)
    if let doc = try? JSONDocument(data: d) { _ = doc.firstDuplicateKey() }
    _ = try? ResultsCodec.parse(d, file: "fuzz.json")
    _ = try? ResultsDocument.decode(d, file: "fuzz.json")
    return 0
}

runFuzzer { fuzzJSON($0, $1) }
