#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import OMPPlan

/// Unbuffered writes: a probe may abort at any moment, and whatever it said must be out.
enum Output {
    static func write(_ s: String, fd: Int32 = 1) {
        var s = s
        s.withUTF8 { buf in
            var off = 0
            while off < buf.count {
                let n = unsafe_write(fd, buf.baseAddress! + off, buf.count - off)
                if n <= 0 {
                    if n < 0 && errno == EINTR { continue }
                    return
                }
                off += n
            }
        }
    }

    static func record(_ kind: ProbeProtocol.Kind, _ fields: String) {
        write(ProbeProtocol.prefix + kind.rawValue + (fields.isEmpty ? "" : " " + fields) + "\n")
    }

    static func line(_ s: String) { write(s + "\n") }

    static func error(_ s: String) { write(s + "\n", fd: 2) }

    @inline(__always)
    private static func unsafe_write(_ fd: Int32, _ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
        #if canImport(Glibc)
        return Glibc.write(fd, p, n)
        #else
        return Darwin.write(fd, p, n)
        #endif
    }
}

/// Formats a Float with a fixed number of decimals, without Foundation.
func fmt(_ x: Float, _ decimals: Int = 4) -> String { fmt(Double(x), decimals) }

func fmt(_ x: Double, _ decimals: Int = 4) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x < 0 ? "-inf" : "inf" }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let neg = x < 0
    let r = (abs(x) * scale).rounded()
    if r > 9e15 { return neg ? "-\(abs(x))" : "\(abs(x))" }
    let whole = Int(r / scale)
    let frac = Int(r - Double(whole) * scale)
    var fs = String(frac)
    while fs.count < decimals { fs = "0" + fs }
    return (neg && r != 0 ? "-" : "") + String(whole) + (decimals > 0 ? "." + fs : "")
}
