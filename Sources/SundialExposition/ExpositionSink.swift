/// Receives what an ``ExpositionParser`` finds, in input order.
///
/// ```swift
/// struct Counter: ExpositionSink {
///     var samples = 0
///     mutating func metadata(_ metadata: FamilyMetadata) {}
///     mutating func sample(_ sample: ParsedSample) { samples += 1 }
///     mutating func reject(_ error: ExpositionError) { print(error) }
/// }
/// ```
public protocol ExpositionSink {
    /// Called whenever a family's HELP, TYPE or UNIT becomes known or changes, with the full accumulated record.
    /// - Parameter metadata: The family's metadata so far.
    mutating func metadata(_ metadata: FamilyMetadata)

    /// Called once for each accepted sample line.
    /// - Parameter sample: The sample; its buffers are valid only during this call.
    mutating func sample(_ sample: ParsedSample)

    /// Called for each rejected line (the line is skipped) and for each end-of-group or end-of-input check that
    /// fails.
    /// - Parameter error: Where and why.
    mutating func reject(_ error: ExpositionError)
}
