import SundialStorage
import Testing
@testable import SundialQuery

/// Random PromQL-shaped input must never crash the parser or the evaluator: it parses or fails
/// with a parse error at a position inside the input, and what parses evaluates or fails with a
/// ``QueryError``.
@Suite struct RobustnessTests {
    static let fragments = [
        "x", "y", "rate(", "sum", " by ", "(", ")", "[5m]", "[1m:10s]", "{a=\"b\"}", "{", "}", ",", " + ", " - ", " * ",
        " / ", " ^ ", " % ", " == ", " > bool ", " and ", " or ", " unless ", " on(a) ", " ignoring(a) ", " group_left ",
        "1", "0x1f", "-", "Inf", "NaN", " offset 1m", " offset -1h", " @ 100", " @ end()", "histogram_quantile(0.9, ",
        "topk(2, ", "count_values(\"v\", ", "\"s\"", "'q'", "`r`", "label_replace(", "abs(", "vector(", "time()", "#c\n",
        "$", "\\", "é", "[", "]", ":", "=~", "!~", "!=", "=", "1e308", "9223372036854775807", "[99999999999y]", "@ -9e15",
    ]

    @Test(arguments: [UInt64(11), 12, 13, 14])
    func randomInputNeverCrashes(seed: UInt64) {
        var rng = SeededRandom(seed: seed)
        let e = engine([
            regular("x", ["a": "1", "le": "0.5"], start: 0, every: 15, [1, 2, 3, 1, 5]),
            regular("x", ["a": "2", "le": "+Inf"], start: 0, every: 15, [2, 4, 6, 8, 10]),
            regular("y", ["a": "1"], start: 0, every: 30, [7, StaleMarker.value, 9]),
        ])
        var parsedCount = 0
        for _ in 0..<1500 {
            var text = ""
            for _ in 0..<(1 + Int(rng.next() % 8)) { text += Self.fragments[Int(rng.next() % UInt64(Self.fragments.count))] }
            do {
                let expr = try PromQLParser.parse(text)
                parsedCount += 1
                _ = try? e.instant(expr, atMs: 60_000)
                if expr.valueType == .vector || expr.valueType == .scalar {
                    _ = try? e.range(expr, startMs: 0, endMs: 120_000, stepMs: 7_000)
                }
            } catch {
                guard case let .parse(_, position) = error else {
                    Issue.record("\(text): not a parse error: \(error)")
                    continue
                }
                #expect(position >= 0 && position <= text.utf8.count, "\(text): position \(position)")
            }
        }
        #expect(parsedCount > 0)
    }

    /// Random well-typed expressions, to drive the evaluator through unusual combinations.
    struct Generator {
        var rng: SeededRandom

        mutating func pick<T>(_ items: [T]) -> T { items[Int(rng.next() % UInt64(items.count))] }

        mutating func vector(_ depth: Int) -> String {
            if depth <= 0 { return pick(["x", #"y{a="1"}"#, #"{__name__=~"x|y"}"#, "x offset 15s", "y @ 30"]) }
            switch rng.next() % 12 {
            case 0: return "rate(\(pick(["x", "y"]))[\(pick(["30s", "1m", "2m"]))])"
            case 1: return "\(pick(["sum", "avg", "max", "min", "count", "stddev", "group"])) \(pick(["by (a)", "without (le)", ""])) (\(vector(depth - 1)))"
            case 2: return "\(pick(["topk", "bottomk", "quantile"]))(\(scalar(depth - 1)), \(vector(depth - 1)))"
            case 3:
                let op = pick(["+", "-", "*", "/", "%", "^", "==", "!=", ">", "<", ">=", "<=", "and", "or", "unless", "> bool", "atan2"])
                let matching = op.hasPrefix("and") || op == "or" || op == "unless" ? pick(["", " on(a)", " ignoring(le)"])
                    : pick(["", " on(a)", " ignoring(le)", " on(a) group_left()", " ignoring(le) group_right(le)"])
                return "(\(vector(depth - 1)) \(op)\(matching) \(vector(depth - 1)))"
            case 4: return "(\(vector(depth - 1)) \(pick(["+", "*", ">", "<= bool", "/"])) \(scalar(depth - 1)))"
            case 5: return "\(pick(["abs", "ceil", "floor", "sqrt", "ln", "sgn", "timestamp", "sort", "absent", "exp", "round"]))(\(vector(depth - 1)))"
            case 6: return "histogram_quantile(\(scalar(depth - 1)), \(vector(depth - 1)))"
            case 7: return #"label_replace(\#(vector(depth - 1)), "b", "$1", "a", "(.*)")"#
            case 8: return "\(pick(["max_over_time", "avg_over_time", "changes", "deriv", "increase"]))((\(vector(depth - 1)))[1m:\(pick(["10s", "15s", ""]))])"
            case 9: return "clamp(\(vector(depth - 1)), \(scalar(depth - 1)), \(scalar(depth - 1)))"
            case 10: return #"count_values("v", \#(vector(depth - 1)))"#
            default: return "-\(vector(depth - 1))"
            }
        }

        mutating func scalar(_ depth: Int) -> String {
            if depth <= 0 { return pick(["1", "0.5", "-2", "NaN", "Inf", "0", "time()", "3"]) }
            switch rng.next() % 3 {
            case 0: return "scalar(\(vector(depth - 1)))"
            case 1: return "(\(scalar(depth - 1)) \(pick(["+", "-", "*", "/", "^", "% ", "== bool"])) \(scalar(depth - 1)))"
            default: return scalar(0)
            }
        }
    }

    @Test(arguments: [UInt64(21), 22, 23])
    func randomWellTypedExpressionsParseAndNeverCrash(seed: UInt64) throws {
        var generator = Generator(rng: SeededRandom(seed: seed))
        let e = engine([
            regular("x", ["a": "1", "le": "0.5"], start: 0, every: 15, [1, 2, 3, 1, 5, 6, 7]),
            regular("x", ["a": "2", "le": "+Inf"], start: 0, every: 15, [2, 4, 6, 8, 10, .nan, 12]),
            regular("y", ["a": "1"], start: 0, every: 30, [7, StaleMarker.value, 9, 10]),
        ])
        for _ in 0..<400 {
            let text = generator.vector(Int(generator.rng.next() % 4))
            let expr = try PromQLParser.parse(text)
            #expect(try PromQLParser.parse(expr.description) == expr, "\(text)")
            do {
                try assertRangeMatchesInstants(e, text, startMs: 0, endMs: 90_000, stepMs: 15_000)
            } catch let error as QueryError {
                if case .evaluation = error { continue }
                Issue.record("\(text) failed with \(error)")
            }
        }
    }
}
