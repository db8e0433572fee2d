/// The replacement template of `label_replace`, expanded as Go's `regexp.Expand` does:
/// `$1`, `${1}`, `$name`, `${name}`, `$$` for a dollar; a reference to a missing group is empty;
/// `$` not followed by a valid name stays a literal `$`. `$1x` means the group named `1x`.
enum RegexTemplate {
    /// Expands `template` with the captures of `match`.
    static func expand(_ template: String, _ match: Regex<AnyRegexOutput>.Match) -> String {
        var out = ""
        var rest = Substring(template)
        while let dollar = rest.firstIndex(of: "$") {
            out += rest[..<dollar]
            rest = rest[rest.index(after: dollar)...]
            if rest.first == "$" {
                out += "$"
                rest = rest.dropFirst()
                continue
            }
            guard let (name, after) = extractName(rest) else {
                out += "$"
                continue
            }
            rest = after
            out += capture(named: name, in: match)
        }
        return out + rest
    }

    /// A group name after `$`: letters, digits and `_`, optionally in braces.
    private static func extractName(_ text: Substring) -> (String, Substring)? {
        var body = text
        let braced = body.first == "{"
        if braced { body = body.dropFirst() }
        let name = body.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        guard !name.isEmpty else { return nil }
        var after = body[name.endIndex...]
        if braced {
            guard after.first == "}" else { return nil }
            after = after.dropFirst()
        }
        return (String(name), after)
    }

    /// The text captured by group `name` (a decimal index or a group name), or "".
    private static func capture(named name: String, in match: Regex<AnyRegexOutput>.Match) -> String {
        let output = match.output
        if let index = groupIndex(name) {
            guard index < output.count, let substring = output[index].substring else { return "" }
            return String(substring)
        }
        guard let element = output[name], let substring = element.substring else { return "" }
        return String(substring)
    }

    /// Go's rule: all ASCII digits, no leading zero unless "0", below 10^8.
    private static func groupIndex(_ name: String) -> Int? {
        guard name.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        if name.count > 1 && name.hasPrefix("0") { return nil }
        guard name.count <= 8, let value = Int(name) else { return nil }
        return value
    }
}
