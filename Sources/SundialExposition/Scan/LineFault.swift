/// Why a line is rejected, with the byte offset in the line where the problem starts.
///
/// Thrown (typed) by the line parsers and turned into an ``ExpositionError`` with line and column by the parser.
struct LineFault: Error {
    /// Byte offset from the start of the line.
    var offset: Int
    /// One sentence.
    var message: String

    init(_ offset: Int, _ message: String) {
        self.offset = offset
        self.message = message
    }
}
