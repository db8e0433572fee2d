/// A regular expression matched against a whole label value, with a fast path for the common
/// alternation of literals (`Get|Update|Delete`) and for `.*`.
struct AnchoredPattern: @unchecked Sendable {
    // Regex is immutable once built; it is only read after init, so sharing it across threads is safe.
    private let regex: Regex<AnyRegexOutput>?
    private let literals: Set<String>?
    private let matchesAnything: Bool

    init(_ pattern: String) throws(StorageError) {
        if pattern == ".*" {
            matchesAnything = true
            literals = nil
            regex = nil
            return
        }
        matchesAnything = false
        let meta = Set("\\^$.|?*+()[]{}")
        let parts = pattern.split(separator: "|", omittingEmptySubsequences: false)
        if parts.allSatisfy({ $0.allSatisfy { !meta.contains($0) || $0 == "|" } }) {
            literals = Set(parts.map(String.init))
            regex = nil
            return
        }
        literals = nil
        do {
            regex = try Regex("^(?:" + pattern + ")$")
        } catch {
            throw StorageError.invalidArgument("invalid regular expression \"\(pattern)\": \(error)")
        }
    }

    func matches(_ candidate: String) -> Bool {
        if matchesAnything { return true }
        if let literals { return literals.contains(candidate) }
        guard let regex else { return false }
        return (try? regex.wholeMatch(in: candidate)) != nil
    }
}
