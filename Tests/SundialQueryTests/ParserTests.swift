import SundialStorage
import Testing
@testable import SundialQuery

/// Parses `text`, failing the test with the error if it does not parse.
func parsed(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> Expr? {
    do {
        return try PromQLParser.parse(text)
    } catch {
        Issue.record("\(text) did not parse: \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// The parse error for `text`, failing the test if it parses.
func parseError(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> (message: String, position: Int)? {
    do {
        let expr = try PromQLParser.parse(text)
        Issue.record("\(text) parsed as \(expr) but should fail", sourceLocation: sourceLocation)
    } catch let error {
        if case let .parse(message, position) = error { return (message, position) }
        Issue.record("\(text) failed with a non-parse error \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

@Suite struct ParserTests {
    @Test(arguments: DashboardCorpus.all)
    func everyDashboardQueryParses(_ query: String) throws {
        let expr = try PromQLParser.parse(query)
        #expect(expr.valueType == .vector || expr.valueType == .scalar)
        // Printing and re-parsing gives the same tree.
        #expect(try PromQLParser.parse(expr.description) == expr, "\(expr)")
    }

    @Test func numbersDurationsAndStrings() throws {
        #expect(try PromQLParser.parse("1.5e3") == .number(1500))
        #expect(try PromQLParser.parse("0x1f") == .number(31))
        #expect(try PromQLParser.parse("010") == .number(8))  // Go's ParseInt base 0: a leading 0 is octal
        #expect(try PromQLParser.parse("-Inf") == .number(-.infinity))
        #expect(try PromQLParser.parse(".5") == .number(0.5))
        #expect(try PromQLParser.parse(#""a\"b""#) == .string("a\"b"))
        #expect(try PromQLParser.parse(#"'it\'s'"#) == .string("it's"))
        #expect(try PromQLParser.parse("`raw\\n`") == .string("raw\\n"))
        #expect(try PromQLParser.parse(#""\u00e9\x41\101""#) == .string("éAA"))
        guard case let .range(m)? = parsed("x[1h30m]") else { return }
        #expect(m.rangeMs == 5_400_000)
        guard case let .range(m2)? = parsed("x[1y2w3d4h5m6s7ms]") else { return }
        #expect(m2.rangeMs == 365 * 86_400_000 + 14 * 86_400_000 + 3 * 86_400_000 + 4 * 3_600_000 + 5 * 60_000 + 6_000 + 7)
        guard case let .vector(s)? = parsed("x offset -5m") else { return }
        #expect(s.offsetMs == -300_000)
    }

    @Test func selectorsAndMatchers() throws {
        guard case let .vector(s)? = parsed(#"service_requests{operation=~"Get.*", namespace!="x", a!~"b", c="d",}"#) else { return }
        #expect(s.metricName == "service_requests")
        #expect(s.matchers.map(\.operation) == [.regex, .notEqual, .notRegex, .equal])
        #expect(s.allMatchers.last?.name == "__name__")
        guard case let .vector(n)? = parsed(#"{__name__=~"service_errors_.*"}"#) else { return }
        #expect(n.metricName == nil)
        // Keywords are plain label names inside braces, and recording-rule names have colons.
        guard case let .vector(k)? = parsed(#"job:rate5m{by="x", offset="y"}"#) else { return }
        #expect(k.metricName == "job:rate5m" && k.matchers.map(\.name) == ["by", "offset"])
        // A comment runs to the end of the line.
        #expect(try PromQLParser.parse("x # a comment\n + 1") == .binary(.selector("x"), .add, .number(1)))
    }

    @Test func precedenceAndAssociativity() throws {
        #expect(try PromQLParser.parse("1 + 2 * 3").description == "1 + 2 * 3")
        #expect(try PromQLParser.parse("a - b - c") == .binary(.binary(.selector("a"), .subtract, .selector("b")), .subtract, .selector("c")))
        #expect(try PromQLParser.parse("2 ^ 3 ^ 2") == .binary(.number(2), .power, .binary(.number(3), .power, .number(2))))
        #expect(try PromQLParser.parse("a or b and c") == .binary(.selector("a"), .or, .binary(.selector("b"), .and, .selector("c"))))
        #expect(try PromQLParser.parse("a > b + 1") == .binary(.selector("a"), .greater, .binary(.selector("b"), .add, .number(1))))
        #expect(try PromQLParser.parse("a unless b or c") == .binary(.binary(.selector("a"), .unless, .selector("b")), .or, .selector("c")))
        #expect(try PromQLParser.parse("a atan2 b * c") == .binary(.binary(.selector("a"), .atan2, .selector("b")), .multiply, .selector("c")))
        // Unary minus binds like `*`: it takes `^` but not `*`.
        #expect(try PromQLParser.parse("-a ^ b") == .unary(.minus, .binary(.selector("a"), .power, .selector("b"))))
        #expect(try PromQLParser.parse("-a * b") == .binary(.unary(.minus, .selector("a")), .multiply, .selector("b")))
        #expect(try PromQLParser.parse("-1") == .number(-1))
        #expect(try PromQLParser.parse("2 ^ -1") == .binary(.number(2), .power, .number(-1)))
        // offset binds tighter than any operator.
        guard case let .binary(op)? = parsed("a + b offset 5m"), case let .vector(b) = op.rhs else { return }
        #expect(b.offsetMs == 300_000)
    }

    @Test func keywordsAreCaseInsensitive() throws {
        let upper = try PromQLParser.parse("SUM BY (operation) (x) OR ON() Vector_x")
        let lower = try PromQLParser.parse("sum by (operation) (x) or on() Vector_x")
        #expect(upper == lower)
        guard case let .binary(op) = try PromQLParser.parse("x OR on() vector(0)") else { return }
        #expect(op.op == .or && op.matching == VectorMatching(labels: [], on: true))
        #expect(op.effectiveMatching.cardinality == .manyToMany)
        #expect(try PromQLParser.parse("a > BOOL b") == .binary(.selector("a"), .greater, .selector("b"), returnBool: true))
        #expect(try PromQLParser.parse("INF") == .number(.infinity))
    }

    @Test func vectorMatchingModifiers() throws {
        guard case let .binary(op)? = parsed("a / ignoring(code) group_left(namespace, x) b") else { return }
        #expect(op.matching == VectorMatching(cardinality: .manyToOne, labels: ["code"], on: false, include: ["namespace", "x"]))
        guard case let .binary(op2)? = parsed("a * on(instance) group_right b") else { return }
        #expect(op2.matching == VectorMatching(cardinality: .oneToMany, labels: ["instance"], on: true, include: []))
        guard case let .binary(op3)? = parsed("a == bool on(x) b") else { return }
        #expect(op3.returnBool && op3.matching?.labels == ["x"])
        // Matching on a scalar side is dropped when it names no labels.
        guard case let .binary(op4)? = parsed("1 + on() x") else { return }
        #expect(op4.matching == nil)
    }

    @Test func aggregationsWithGroupingBeforeOrAfter() throws {
        let before = try PromQLParser.parse("sum by (operation, le) (rate(x[5m]))")
        let after = try PromQLParser.parse("sum(rate(x[5m])) by (operation, le)")
        #expect(before == after)
        guard case let .aggregation(a)? = parsed("topk without (instance) (5, x)") else { return }
        #expect(a.op == .topk && a.parameter == .number(5) && a.grouping == .without(["instance"]))
        guard case let .aggregation(c)? = parsed(#"count_values("value", x)"#) else { return }
        #expect(c.parameter == .string("value"))
        guard case let .aggregation(q)? = parsed("quantile(0.9, x)") else { return }
        #expect(q.op == .quantile)
        guard case let .aggregation(g)? = parsed("group by (sum, by, le) (x)") else { return }
        #expect(g.grouping == .by(["sum", "by", "le"]))
        for op in ["sum", "avg", "min", "max", "count", "stddev", "stdvar", "group"] {
            guard case let .aggregation(agg)? = parsed("\(op)(x)") else { continue }
            #expect(agg.op.rawValue == op)
        }
        #expect(try PromQLParser.parse("bottomk(3, x)").description == "bottomk(3, x)")
    }

    @Test func functionsSubqueriesAndAt() throws {
        guard case let .call(c)? = parsed(#"label_replace(up, "dst", "$1", "src", "(.*)")"#) else { return }
        #expect(c.arguments.count == 5)
        guard case let .subquery(sq)? = parsed("rate(x[5m])[1h:1m] offset 10m") else { return }
        #expect(sq.rangeMs == 3_600_000 && sq.stepMs == 60_000 && sq.offsetMs == 600_000)
        guard case let .subquery(sq2)? = parsed("max_over_time(x[5m:])[1h:]") else { return }
        #expect(sq2.stepMs == nil)
        guard case let .vector(at)? = parsed("x @ 1609746000") else { return }
        #expect(at.at == .timestamp(ms: 1_609_746_000_000))
        guard case let .range(atRange)? = parsed("x[5m] @ end() offset 1m") else { return }
        #expect(atRange.selector.at == .end && atRange.selector.offsetMs == 60_000)
        #expect(try PromQLParser.parse("time()") == .call("time"))
        #expect(try PromQLParser.parse("(x)").valueType == .vector)
        #expect(try PromQLParser.parse("x[5m]").valueType == .matrix)
        #expect(try PromQLParser.parse("scalar(x)").valueType == .scalar)
    }

    @Test func printedTreesReparseToTheSameTree() throws {
        let queries = [
            #"a / on (x) group_left (y) b"#, "-(a + b) * c", #"sum without (a) (rate(x{a=~"b|c"}[5m] offset 1h))"#,
            "topk(3, x) unless ignoring (z) y", "x @ 100.500", "rate(x[1m])[30m:1m] @ start()", "1 > bool 2",
            #"histogram_quantile(0.99, sum by (le) (rate(x[5m])))"#, "x offset -1d", "a ^ b ^ c", "(a ^ b) ^ c",
        ]
        for query in queries {
            let expr = try PromQLParser.parse(query)
            #expect(try PromQLParser.parse(expr.description) == expr, "\(query) printed as \(expr)")
        }
    }

    @Test func treesBuiltInCodePrintWithTheParenthesesTheyNeed() throws {
        let a = Expr.selector("a"), b = Expr.selector("b"), c = Expr.selector("c")
        let cases: [(Expr, String)] = [
            (.binary(.binary(a, .add, b), .multiply, c), "(a + b) * c"),
            (.binary(a, .subtract, .binary(b, .subtract, c)), "a - (b - c)"),
            (.binary(.binary(a, .subtract, b), .subtract, c), "a - b - c"),
            (.binary(.binary(a, .power, b), .power, c), "(a ^ b) ^ c"),
            (.binary(a, .power, .binary(b, .power, c)), "a ^ b ^ c"),
            (.binary(.unary(.minus, a), .power, b), "(-a) ^ b"),
            (.binary(.number(-2), .power, .number(2)), "(-2) ^ 2"),
            (.unary(.minus, .binary(a, .add, b)), "-(a + b)"),
            (.binary(.binary(a, .or, b), .and, c), "(a or b) and c"),
        ]
        let engine = engine([series("a", [(0, 2)]), series("b", [(0, 3)]), series("c", [(0, 4)])])
        for (tree, text) in cases {
            #expect(tree.description == text)
            // The printed text evaluates to what the tree evaluates to.
            let fromTree = try engine.instant(tree, atMs: 0)
            let fromText = try engine.instant(text, atMs: 0)
            #expect(fromTree == fromText, "\(text)")
        }
    }

    @Test func treesBuiltInCodeMatchParsedOnes() throws {
        let rate = Expr.call("rate", .range(VectorSelector(metricName: "persistence_latency_bucket"), rangeMs: 300_000))
        let summed = Expr.aggregation(Aggregation(.sum, rate, grouping: .by(["operation", "le"])))
        let p99 = Expr.call("histogram_quantile", .number(0.99), summed)
        #expect(p99.description == "histogram_quantile(0.99, sum by (operation, le) (rate(persistence_latency_bucket[5m])))")
        #expect(try PromQLParser.parse(p99.description) == p99)
        try p99.validate()
        #expect(throws: QueryError.self) { try Expr.call("rate", .selector("x")).validate() }
        #expect(throws: QueryError.self) { try Expr.vector(VectorSelector()).validate() }
    }
}
