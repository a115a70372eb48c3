/// A problem in the matrix data (`Matrices/*.yaml`) or in a selection string, located
/// at `file:line:column` (both 1-based; column counts Unicode scalars, as YAML does).
///
/// Every validation failure of ``Matrix/load(directory:manifest:host:)`` is one of these:
/// malformed or truncated YAML, a wrong schema (missing, unknown or mistyped keys),
/// duplicate ids, unknown outcome or runtime names, and workloads that do not validate.
/// The CLI maps it to exit status 2.
package struct MatrixError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file the problem is in (as given to the loader), or `OMP_CONFORMANCE_SELECT`.
    package var file: String
    /// 1-based line.
    package var line: Int
    /// 1-based column.
    package var column: Int
    /// What is wrong, without the location.
    package var message: String

    package init(file: String, line: Int, column: Int, message: String) {
        // Messages quote values from the file as they are: whoever shows the error escapes it for its
        // medium (the CLI prints it through TerminalText.field, one line, inert).
        self.file = file; self.line = line; self.column = column; self.message = message
    }

    init(_ location: SourceLocation, _ message: String) {
        self.init(file: location.file, line: location.line, column: location.column, message: message)
    }

    /// `file:line:column: message`, the form compilers use, so editors can jump to it.
    package var description: String { "\(file):\(line):\(column): \(message)" }
}

/// Where something was written in the matrix data.
package struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    package var file: String
    package var line: Int
    package var column: Int

    package init(file: String, line: Int, column: Int) {
        self.file = file; self.line = line; self.column = column
    }

    package var description: String { "\(file):\(line):\(column)" }
}
