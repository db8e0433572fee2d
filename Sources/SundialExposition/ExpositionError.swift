/// A rejected line, or a failed end-of-group or end-of-input check, with the place it happened.
///
/// Prints as `file:line:column: message`, for example
/// `scrape.prom:12:37: invalid escape sequence \q in label value`. Lines and columns count from 1; a column counts
/// characters (Unicode scalars), not bytes. A rejected line is skipped whole and parsing continues on the next line.
///
/// ## The checks
///
/// Every line, both formats:
/// - A metric name must match `[a-zA-Z_:][a-zA-Z0-9_:]*` and a label name `[a-zA-Z_][a-zA-Z0-9_]*`.
/// - A label needs `=` and a double-quoted value; a value must end with `"` on the same line.
/// - A label value may use only the escapes `\\`, `\"` and `\n`, and must be valid UTF-8.
/// - A label name may appear only once in a sample.
/// - Labels are separated by `,` and closed by `}`; nothing but the value (and a timestamp) may follow.
/// - A value must be a number in Go `strconv.ParseFloat` syntax without hex or `_` (as Prometheus accepts):
///   decimal with optional sign and exponent, `Inf`/`Infinity` with optional sign, `NaN`, case-insensitive.
///   A finite number too large for a `Double` is rejected.
/// - A `# HELP` line needs a valid metric name; its text may use only the escapes `\\` and `\n` (OpenMetrics
///   also `\"`) and must be valid UTF-8.
/// - A `# TYPE` line needs a valid metric name and one of its format's type words (text: counter, gauge,
///   histogram, summary, untyped; OpenMetrics: counter, gauge, histogram, gaugehistogram, summary, info,
///   stateset, unknown).
/// - Family rules, where `x` is the current family declared by `# TYPE x T`: a sample named `x` or `x` plus one of
///   the suffixes `_total _created _bucket _sum _count _gcount _gsum _info` belongs to the family and must be
///   allowed by `T`: counter `x` (text only), `x_total`, `x_created`; gauge and stateset `x`; histogram
///   `x_bucket`, `x_sum`, `x_count`, `x_created`; gaugehistogram `x_bucket`, `x_gsum`, `x_gcount`; summary `x`,
///   `x_sum`, `x_count`, `x_created`; info `x_info`. Any other name (and any suffixed name under
///   untyped/unknown) starts a new family of type untyped/unknown. No suffix is stripped unless `# TYPE` says so.
/// - A histogram or gaugehistogram `_bucket` sample needs an `le` label whose value is a number.
/// - A summary's `x` sample needs a `quantile` label whose value is a number.
/// - A histogram group (the consecutive `_bucket` samples of one family whose labels other than `le` are the
///   same, compared as written) needs a bucket with `le` equal to `+Inf`. This is checked when the group ends
///   (another label set, another sample of the family, another family, `# EOF` or the end of input) and
///   reported at the group's last bucket line, column of its `le` label.
/// - A `# HELP`, `# TYPE` or `# UNIT` line may not come after samples of its family, may not repeat for a family,
///   and may not return to a family after another family began.
///
/// Text format only:
/// - A timestamp is an integer count of milliseconds, optionally signed, that fits an `Int64`.
/// - Exemplars (` # {…}` after the value) are not part of the format and are rejected.
///
/// OpenMetrics only:
/// - The input must end with a `# EOF` line; the first line after it is reported (once) and the rest is ignored.
/// - Blank lines are reported.
/// - Tokens are separated by exactly one space; labels have no spaces and no trailing comma.
/// - A timestamp is a number of seconds (same syntax as a value, not NaN or infinite) converted to milliseconds
///   as Prometheus 2.42 does, `Int64(seconds * 1000)` truncated toward zero; a result outside `Int64` is rejected.
/// - A counter's `_total` sample may not be negative.
/// - A stateset sample needs a label named like the family and a value of 0 or 1.
/// - A `# UNIT` must be a suffix of its family name, after `_`.
/// - An exemplar (` # {labels} value [timestamp]`) is allowed only on `_total` and `_bucket` samples; its labels
///   are checked like a sample's and may hold at most 128 characters of names and values together; its value
///   and timestamp are checked like a sample's.
///
/// Lenient on purpose, both formats: trailing spaces and tabs on sample and `# TYPE`/`# UNIT` lines, `\r\n` line
/// ends, and comment lines other than HELP/TYPE/UNIT/EOF (which OpenMetrics 1.0 does not define).
/// Not checked: duplicate series (the caller's job), bucket monotonicity, `_count` against the `+Inf` bucket,
/// interleaved samples of a family.
public struct ExpositionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file name given to ``ExpositionParser/init(format:fileName:)``.
    public var file: String
    /// The line, counting from 1.
    public var line: Int
    /// The column, counting characters from 1.
    public var column: Int
    /// One sentence saying what is wrong, for example `invalid escape sequence \q in label value`.
    public var message: String

    /// Creates an error.
    /// - Parameters:
    ///   - file: The file name.
    ///   - line: The line, from 1.
    ///   - column: The column, from 1.
    ///   - message: What is wrong, as one sentence.
    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line:column: message`.
    public var description: String { "\(file):\(line):\(column): \(message)" }
}
