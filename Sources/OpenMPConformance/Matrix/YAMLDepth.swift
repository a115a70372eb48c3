/// A pre-scan of YAML text that finds how deeply collections nest before the text reaches
/// the YAML library, whose composer recurses once per level (about 5,000 levels overflow an
/// 8 MiB stack; a worker thread's stack is smaller).
///
/// The scan is conservative: it counts block levels by indentation (each `- ` entry and each
/// deeper indentation opens one) plus flow brackets (`[`, `{`) outside quotes and comments,
/// and skips the bodies of block scalars (`|`, `>`). It can over-count odd layouts, never
/// under-count nesting, so a text that passes cannot overflow the stack.
enum YAMLDepth {
    /// The deepest nesting a matrix file may have. The bundled matrix nests 8 levels deep.
    static let limit = 128

    /// The 1-based line and column where nesting first exceeds `limit`, or nil.
    static func firstExcess(in text: String, limit: Int = limit) -> (line: Int, column: Int, depth: Int)? {
        var indents: [Int] = []      // open block levels, by the column their content starts at
        var flow = 0                 // open flow brackets
        var blockScalarIndent: Int?  // inside a `|`/`>` body: the indentation of its parent line
        var quote: UInt8?            // inside a quoted scalar spanning lines
        var lineNumber = 0
        for rawLine in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = Array(rawLine)
            var i = 0
            while i < line.count, line[i] == UInt8(ascii: " ") { i += 1 }
            let indent = i
            let blank = i == line.count || line[i] == UInt8(ascii: "#") || line[i] == UInt8(ascii: "\r")
            if let parent = blockScalarIndent {
                if blank || indent > parent { continue }
                blockScalarIndent = nil
            }
            if blank && quote == nil { continue }
            if flow == 0 && quote == nil {
                while let top = indents.last, top >= indent { indents.removeLast() }
                indents.append(indent)
                // Compact entries on one line: `- - - x` or `- key: - …` each open a level.
                var j = i
                while j + 1 < line.count, line[j] == UInt8(ascii: "-"), line[j + 1] == UInt8(ascii: " ") {
                    j += 2
                    while j < line.count, line[j] == UInt8(ascii: " ") { j += 1 }
                    indents.append(j)
                }
                if indents.count > limit { return (lineNumber, indent + 1, indents.count) }
            }
            var last: UInt8 = 0
            var k = i
            while k < line.count {
                let c = line[k]
                if let q = quote {
                    if c == q {
                        if q == UInt8(ascii: "'"), k + 1 < line.count, line[k + 1] == q { k += 2; continue }
                        quote = nil
                    } else if c == UInt8(ascii: "\\"), q == UInt8(ascii: "\"") {
                        k += 1
                    }
                } else {
                    switch c {
                    case UInt8(ascii: "#") where k == 0 || line[k - 1] == UInt8(ascii: " ") || line[k - 1] == UInt8(ascii: "\t"):
                        k = line.count
                        continue
                    case UInt8(ascii: "\""), UInt8(ascii: "'"):
                        // A quote opens a scalar only where a scalar can start.
                        if k == i || " \t[{,:-?".utf8.contains(last) { quote = c }
                    case UInt8(ascii: "["), UInt8(ascii: "{"):
                        flow += 1
                        if indents.count + flow > limit { return (lineNumber, k + 1, indents.count + flow) }
                    case UInt8(ascii: "]"), UInt8(ascii: "}"):
                        flow = max(0, flow - 1)
                    default: break
                    }
                }
                if c != UInt8(ascii: " ") { last = c }
                k += 1
            }
            // A block scalar header ends the line: `key: |`, `- >-`, `key: |2+`.
            if flow == 0, quote == nil, let h = line.lastIndex(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") }) {
                var s = h
                while s > i, "+-0123456789".utf8.contains(line[s]) { s -= 1 }
                if line[s] == UInt8(ascii: "|") || line[s] == UInt8(ascii: ">"),
                   s == i || line[s - 1] == UInt8(ascii: " ") {
                    blockScalarIndent = indent
                }
            }
        }
        return nil
    }
}
