/// A PromQL function's argument and return types, as Prometheus 2.42 declares them
/// (`promql/parser/functions.go`).
public struct FunctionSignature: Sendable {
    /// The function name.
    public let name: String
    /// The argument types; with ``variadic`` the last one repeats.
    public let argumentTypes: [ValueType]
    /// 0: exactly `argumentTypes.count` arguments. n > 0: the last argument may be omitted or
    /// repeated up to n times. -1: the last may repeat without limit.
    public let variadic: Int
    /// The result type.
    public let returnType: ValueType

    init(_ name: String, _ argumentTypes: [ValueType], variadic: Int = 0, returns returnType: ValueType = .vector) {
        self.name = name
        self.argumentTypes = argumentTypes
        self.variadic = variadic
        self.returnType = returnType
    }

    /// The signature of the function called `name`, or nil when PromQL has no such function.
    public static func named(_ name: String) -> FunctionSignature? { table[name] }

    /// Every function name the engine knows, sorted.
    public static var allNames: [String] { table.keys.sorted() }

    /// Functions whose instant-vector result keeps the input's metric name.
    static let keepsMetricName: Set<String> = ["last_over_time", "label_replace", "label_join", "sort", "sort_desc"]

    private static let table: [String: FunctionSignature] = {
        let vectorToVector = [
            "abs", "ceil", "floor", "exp", "sqrt", "ln", "log2", "log10", "sgn", "sin", "cos", "tan", "asin", "acos",
            "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "deg", "rad", "sort", "sort_desc", "timestamp",
            "absent", "histogram_count", "histogram_sum",
        ]
        let matrixToVector = [
            "rate", "irate", "increase", "delta", "idelta", "deriv", "resets", "changes", "avg_over_time",
            "sum_over_time", "min_over_time", "max_over_time", "count_over_time", "last_over_time",
            "stddev_over_time", "stdvar_over_time", "present_over_time", "absent_over_time",
        ]
        let dateFunctions = ["day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour", "minute", "month", "year"]
        var all: [FunctionSignature] = vectorToVector.map { FunctionSignature($0, [.vector]) }
        all += matrixToVector.map { FunctionSignature($0, [.matrix]) }
        all += dateFunctions.map { FunctionSignature($0, [.vector], variadic: 1) }
        all += [
            FunctionSignature("clamp", [.vector, .scalar, .scalar]),
            FunctionSignature("clamp_max", [.vector, .scalar]),
            FunctionSignature("clamp_min", [.vector, .scalar]),
            FunctionSignature("round", [.vector, .scalar], variadic: 1),
            FunctionSignature("histogram_quantile", [.scalar, .vector]),
            FunctionSignature("histogram_fraction", [.scalar, .scalar, .vector]),
            FunctionSignature("quantile_over_time", [.scalar, .matrix]),
            FunctionSignature("predict_linear", [.matrix, .scalar]),
            FunctionSignature("holt_winters", [.matrix, .scalar, .scalar]),
            FunctionSignature("label_replace", [.vector, .string, .string, .string, .string]),
            FunctionSignature("label_join", [.vector, .string, .string, .string], variadic: -1),
            FunctionSignature("scalar", [.vector], returns: .scalar),
            FunctionSignature("vector", [.scalar]),
            FunctionSignature("time", [], returns: .scalar),
            FunctionSignature("pi", [], returns: .scalar),
        ]
        return Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })
    }()
}
