// One wheel member inflated REPEATS times through the kit's zip reader; prints one JSON line with
// the times and the process's peak resident memory. Built by Bench/inflate-bench.sh against a
// copy of the kit (the current tree, or an older commit), never by the kit's own Package.swift.
//
//   inflate-bench WHEEL MEMBER REPEATS
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import OpenMPConformance

func peakRSSKiB() -> Int {
    var u = rusage()
    getrusage(0 /* RUSAGE_SELF on Linux and macOS */, &u)
    #if canImport(Darwin)
    return Int(u.ru_maxrss) / 1024   // bytes on Darwin
    #else
    return Int(u.ru_maxrss)          // KiB on Linux
    #endif
}

func fail(_ message: String, _ status: Int32) -> Never {
    let line = Array((message + "\n").utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(status)
}

func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

let args = CommandLine.arguments
guard args.count == 4, let repeats = Int(args[3]), repeats > 0 else {
    fail("usage: inflate-bench WHEEL MEMBER REPEATS", 2)
}
do {
    let zip = try ZipArchive(path: args[1])
    guard let m = zip.members.first(where: { $0.name == args[2] }) else {
        fail("\(args[1]) has no member \(args[2])", 2)
    }
    let rssBefore = peakRSSKiB()
    var ms: [Double] = []
    for _ in 0..<repeats {
        let start = now()
        let bytes = try zip.contents(of: m)
        ms.append((now() - start) * 1000)
        guard bytes.count == m.uncompressedSize else { fail("\(m.name): \(bytes.count) bytes, not \(m.uncompressedSize)", 1) }
    }
    ms.sort()
    let median = ms.count % 2 == 1 ? ms[ms.count / 2] : (ms[ms.count / 2 - 1] + ms[ms.count / 2]) / 2
    let mbps = Double(m.uncompressedSize) / 1e6 / (median / 1000)
    print("{\"member\": \"\(m.name)\", \"compressed\": \(m.compressedSize), \"inflated\": \(m.uncompressedSize), "
          + "\"repeats\": \(repeats), \"median_ms\": \(median), \"min_ms\": \(ms[0]), \"max_ms\": \(ms[ms.count - 1]), "
          + "\"mb_per_s\": \(mbps), \"peak_rss_kib_before\": \(rssBefore), \"peak_rss_kib\": \(peakRSSKiB())}")
} catch {
    fail("\(error)", 1)
}
