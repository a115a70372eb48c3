import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Independent readers for report output, so tests check what a consumer would see rather than
/// how the renderer happened to build the text.
enum ReportChecks {
    /// An XML element as Foundation's XMLParser reported it.
    struct Element {
        var name: String
        var attributes: [String: String]
        var text: String
    }

    /// Parses XML with Foundation's XMLParser. Returns nil (and the parser's error) when the
    /// document is not well-formed.
    static func parseXML(_ text: String) -> (elements: [Element]?, error: String?) {
        final class Collector: NSObject, XMLParserDelegate {
            var elements: [Element] = []
            var stack: [Int] = []
            func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                        qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
                elements.append(Element(name: elementName, attributes: attributeDict, text: ""))
                stack.append(elements.count - 1)
            }
            func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
                _ = stack.popLast()
            }
            func parser(_ parser: XMLParser, foundCharacters string: String) {
                if let top = stack.last { elements[top].text += string }
            }
        }
        let parser = XMLParser(data: Data(text.utf8))
        let collector = Collector()
        parser.delegate = collector
        if parser.parse() { return (collector.elements, nil) }
        return (nil, parser.parserError.map { "\($0)" } ?? "unknown error at line \(parser.lineNumber)")
    }

    /// Removes GFM code spans (a run of n backticks up to the next run of exactly n), honouring
    /// backslash escapes outside them.
    static func stripCodeSpans(_ line: String) -> String {
        let chars = Array(line)
        var out = ""
        var i = 0
        while i < chars.count {
            if chars[i] == "\\", i + 1 < chars.count {
                out.append(chars[i]); out.append(chars[i + 1]); i += 2; continue
            }
            if chars[i] == "`" {
                var n = 0
                while i + n < chars.count, chars[i + n] == "`" { n += 1 }
                var j = i + n
                var closed: Int?
                while j < chars.count {
                    if chars[j] == "`" {
                        var m = 0
                        while j + m < chars.count, chars[j + m] == "`" { m += 1 }
                        if m == n { closed = j; break }
                        j += m
                    } else { j += 1 }
                }
                if let c = closed {
                    out += "CODE"
                    i = c + n
                    continue
                }
                out += String(repeating: "`", count: n); i += n; continue
            }
            out.append(chars[i]); i += 1
        }
        return out
    }

    /// `|` characters not escaped by a backslash: the column separators GFM sees.
    static func unescapedPipes(_ line: String) -> Int {
        var count = 0
        var backslashes = 0
        for ch in line {
            if ch == "|" && backslashes % 2 == 0 { count += 1 }
            backslashes = ch == "\\" ? backslashes + 1 : 0
        }
        return count
    }

    /// Characters an escaped report must never contain.
    static func controlCharacters(in s: String) -> [UInt32] {
        s.unicodeScalars.map(\.value).filter { ($0 < 0x20 && $0 != 0x0A && $0 != 0x09) || $0 == 0x7F || (0x80...0x9F).contains($0) }
    }
}
