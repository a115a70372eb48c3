import Foundation

/// A problem in a file the kit reads (results, baselines, matrices), located as precisely as the
/// reader could: `file:line:column: message`, the shape compilers and editors understand.
///
/// `line` and `column` are 1-based; `column` counts Unicode scalars, not bytes. Either is `nil`
/// when the problem has no single place (the file cannot be opened, or is empty).
package struct InputError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
    /// The path (or label) of the file, as the caller named it.
    package var file: String
    /// 1-based line, when known.
    package var line: Int?
    /// 1-based column (Unicode scalars), when known.
    package var column: Int?
    /// What is wrong, in one sentence, without the location prefix.
    package var message: String

    package init(file: String, line: Int? = nil, column: Int? = nil, message: String) {
        // Messages quote values from the file as they are: whoever shows the error escapes it for its
        // medium (the CLI prints it through TerminalText.field, one line, inert).
        self.file = file; self.line = line; self.column = column; self.message = message
    }

    /// `file:line:column: message`, or `file:line: message` / `file: message` when the location
    /// is partly or wholly unknown.
    package var description: String {
        var location = file
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        return "\(location): \(message)"
    }

    package var errorDescription: String? { description }
}
