import IAMPolicy

extension ActionCatalog {
    /// The actions `pattern` matches (`s3:Get*`, `*`, `iam:*Policy*`, `S3:getobject`), case-insensitively
    /// with IAM's `*` and `?`; empty when it matches nothing.
    public func expand(_ pattern: String) -> ActionSet {
        if pattern == "*" { return allActions }
        let compiled = WildcardPattern(pattern, caseInsensitive: true)
        if compiled.isLiteral { return action(named: pattern).map { ActionSet([$0]) } ?? ActionSet() }
        var result = ActionSet()
        for service in candidateServices(pattern) {
            for index in services[service].actions where matches(compiled, index) { result.insert(ActionID(index)) }
        }
        return result
    }

    /// The union of what `patterns` match (a statement's `Action`).
    public func expand(_ patterns: [String]) -> ActionSet {
        patterns.reduce(into: ActionSet()) { $0.formUnion(expand($1)) }
    }

    /// What a statement's `NotAction: patterns` covers: every catalog action none of them matches.
    public func expand(notAction patterns: [String]) -> ActionSet { complement(of: expand(patterns)) }

    /// The patterns of `patterns` that name no catalog action, each with a did-you-mean suggestion
    /// when a close name exists; in input order. `*` and patterns that match something are fine.
    public func unknownActions(in patterns: [String]) -> [UnknownAction] {
        patterns.compactMap { pattern in
            guard pattern != "*", expand(pattern).isEmpty else { return nil }
            guard let colon = pattern.firstIndex(of: ":"), colon != pattern.startIndex,
                pattern.index(after: colon) != pattern.endIndex
            else {
                return UnknownAction(pattern: pattern, kind: .malformed, suggestions: [])
            }
            let prefix = String(pattern[..<colon])
            let prefixPattern = WildcardPattern(prefix, caseInsensitive: true)
            let prefixKnown = services.contains { prefixPattern.matches($0.prefix) }
            if !prefixKnown {
                let suggestion = prefixPattern.isLiteral ? closest(prefix, in: services.map(\.prefix)) : nil
                return UnknownAction(
                    pattern: pattern, kind: .unknownPrefix,
                    suggestions: suggestion.map { [$0 + pattern[colon...]] } ?? [])
            }
            guard WildcardPattern(pattern, caseInsensitive: true).isLiteral,
                let service = serviceIndex[prefix.lowercased()]
            else { return UnknownAction(pattern: pattern, kind: .unknownAction, suggestions: []) }
            // An API name used as an action (`lambda:Invoke`): the actions its CloudTrail event needs.
            if let actions = cloudTrail.apiNameHints[pattern.lowercased()] {
                return UnknownAction(pattern: pattern, kind: .unknownAction, suggestions: actions)
            }
            let candidates = services[service].actions.map { name(of: ActionID($0)) }
            return UnknownAction(
                pattern: pattern, kind: .unknownAction, suggestions: closest(pattern, in: candidates).map { [$0] } ?? []
            )
        }
    }

    /// `prefix` as an unknown service prefix, with the closest known prefix as suggestion (`s4` → `s3`);
    /// `nil` when the catalog has it (any case).
    public func unknownPrefix(_ prefix: String) -> UnknownAction? {
        guard serviceIndex[prefix.lowercased()] == nil else { return nil }
        let suggestion = closest(prefix, in: services.map(\.prefix))
        return UnknownAction(pattern: prefix, kind: .unknownPrefix, suggestions: suggestion.map { [$0] } ?? [])
    }

    /// Services whose prefix can match the part of `pattern` before its first `:`.
    private func candidateServices(_ pattern: String) -> [Int] {
        // A wildcard before the first colon may span it (`s3*`, `*Vectors*`): any service can match.
        guard let colon = pattern.firstIndex(of: ":"), !pattern[..<colon].contains(where: { $0 == "*" || $0 == "?" })
        else { return Array(services.indices) }
        return serviceIndex[pattern[..<colon].lowercased()].map { [$0] } ?? []
    }

    private func matches(_ pattern: WildcardPattern, _ index: Int) -> Bool {
        names.withUnsafeBytes { bytes in
            pattern.matches(
                UnsafeRawBufferPointer(rebasing: bytes[Int(nameStarts[index])..<Int(nameStarts[index + 1])]))
        }
    }
}

/// A pattern that names nothing in the catalog, as `pare validate` reports it.
public struct UnknownAction: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// No service has this prefix (`s4:GetObject`).
        case unknownPrefix
        /// The prefix exists but no action matches (`s3:GetObjcet`, `s3:Fly*`).
        case unknownAction
        /// Not `prefix:action` and not `*`.
        case malformed
    }

    public var pattern: String
    public var kind: Kind
    /// What was probably meant: the actions an API of that name needs (`lambda:Invoke` →
    /// `lambda:InvokeFunction`; `kms:ReEncrypt` → `kms:ReEncryptFrom`, `kms:ReEncryptTo`), else the
    /// closest catalog name within a small edit distance (`s3:GetObjcet` → `s3:GetObject`); may be empty.
    public var suggestions: [String]

    /// The first suggestion, if any.
    public var suggestion: String? { suggestions.first }

    /// The one-line message: ``unknown action `s3:GetObjcet`; did you mean `s3:GetObject`?``.
    public var description: String {
        let what: String
        switch kind {
        case .unknownPrefix:
            let prefix = pattern.prefix { $0 != ":" }
            what = "unknown service prefix `\(prefix)`" + (prefix.count < pattern.count ? " in `\(pattern)`" : "")
        case .unknownAction: what = "unknown action `\(pattern)`"
        case .malformed: what = "`\(pattern)` is not an action (expected `prefix:action`)"
        }
        guard !suggestions.isEmpty else { return what }
        return "\(what); did you mean \(suggestions.map { "`\($0)`" }.joined(separator: " and "))?"
    }
}

/// The candidate closest to `word` by case-insensitive edit distance, if within
/// `max(1, min(3, word.count / 4))` edits; ties go to the first candidate.
func closest(_ word: String, in candidates: [String]) -> String? {
    guard !word.isEmpty else { return nil }
    let target = Array(word.utf8).map(asciiFold)
    let limit = max(1, min(3, target.count / 4))
    var best: (name: String, distance: Int)?
    for candidate in candidates {
        let bytes = Array(candidate.utf8).map(asciiFold)
        guard abs(bytes.count - target.count) <= limit else { continue }
        let distance = editDistance(target, bytes)
        if distance <= limit, distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
    }
    return best?.name
}

/// Levenshtein distance with adjacent transpositions (optimal string alignment).
func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var before = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                current[j] = min(current[j], before[j - 2] + 1)
            }
        }
        (before, previous, current) = (previous, current, before)
    }
    return previous[b.count]
}
