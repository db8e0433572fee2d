/// A problem in an SLO file, naming the file, the place (line and field) and what to change.
public struct SLOSpecError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file, when read from one.
    public var file: String?
    /// The 1-based line, when known.
    public var line: Int?
    /// The field's path, e.g. `slos[2].objective`.
    public var field: String?
    /// What is wrong and what would be right.
    public var message: String

    /// Creates an error.
    public init(file: String? = nil, line: Int? = nil, field: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    /// One sentence: `slos.yaml:12: slos[0].objective: must be a number between 0 and 1 (exclusive), got 99.9`.
    public var description: String {
        var place = file ?? "SLO spec"
        if let line { place += ":\(line)" }
        if let field { place += ": \(field)" }
        return place + ": " + message
    }
}
