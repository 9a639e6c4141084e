import Foundation

/// Sets of strings described by IAM glob patterns (`*`, `?`, policy variables) combined with union,
/// intersection and complement, and an exact search for a witness string in one set and not another.
///
/// Containment of glob languages cannot be decided by comparing pattern text (`arn:aws:s3:::b/*`
/// contains `arn:aws:s3:::b/x/*`, not the reverse). All patterns of a question are simulated at once
/// as position sets of their automata; a breadth-first search over the product finds the shortest
/// string accepted by one expression and rejected by the other, or proves there is none.
///
/// Policy variables (`${aws:username}`) are opaque symbols: a variable matches itself, `*` and `?`
/// match it, and no literal text does. `${*}`, `${?}` and `${$}` are the literal characters.
public indirect enum GlobSet: Sendable, Hashable {
    /// Every string.
    case all
    /// No string.
    case empty
    /// The strings a pattern matches.
    case pattern(String)
    case union([GlobSet])
    case intersection([GlobSet])
    case complement(GlobSet)

    /// `self` minus `other`.
    public func subtracting(_ other: GlobSet) -> GlobSet { .intersection([self, .complement(other)]) }
}

/// The answer of a witness search.
public enum GlobWitness: Sendable, Hashable {
    /// A shortest string in the first set and not in the second.
    case witness(String)
    /// The first set is contained in the second.
    case contained
    /// The search gave up after exploring its state budget; containment is unknown.
    case undecided
}

extension GlobSet {
    /// Searches for a string in `self` that is not in `other`. Patterns match case-sensitively unless
    /// `caseInsensitive` (actions); the search explores at most `stateBudget` product states.
    ///
    /// The witness is the shortest string of the difference that fits the first readable template: a
    /// pattern of `self` whose wildcards match at least one character, then a pattern of either side cut
    /// back to a path or field boundary and followed by at least one character (`arn:aws:s3:::b/a` rather
    /// than `arn:aws:s3:::b/`); failing those, the shortest string of all. Without `readable`, the shortest
    /// string of all at once: the same answer, less work when only containment matters.
    public func witness(
        notIn other: GlobSet, caseInsensitive: Bool = false, stateBudget: Int = 50_000, readable: Bool = true
    ) -> GlobWitness {
        GlobSet.decomposed(
            self, notIn: other, caseInsensitive: caseInsensitive, stateBudget: stateBudget, readable: readable)
    }

    /// Splits the question before searching, so that the product automaton holds few patterns: a union
    /// on the left is checked member by member; `X − D` not in `R` is `X` not in `R ∪ D`; a single pattern
    /// is checked against the other side with the patterns that cannot meet it removed, an equal or
    /// containing pattern answering at once.
    private static func decomposed(
        _ lhs: GlobSet, notIn rhs: GlobSet, caseInsensitive: Bool, stateBudget: Int, readable: Bool
    ) -> GlobWitness {
        switch lhs {
        case .empty:
            return .contained
        case .union(let members):
            var undecided = false
            for member in members {
                switch decomposed(
                    member, notIn: rhs, caseInsensitive: caseInsensitive, stateBudget: stateBudget, readable: readable)
                {
                case .witness(let w): return .witness(w)
                case .undecided: undecided = true
                case .contained: break
                }
            }
            return undecided ? .undecided : .contained
        case .intersection(let parts) where parts.count == 2:
            if case .complement(let removed) = parts[1] {
                return decomposed(
                    parts[0], notIn: .union([rhs, removed]), caseInsensitive: caseInsensitive,
                    stateBudget: stateBudget, readable: readable)
            }
        case .pattern(let pattern):
            let pruned = rhs.pruned(meeting: pattern, caseInsensitive: caseInsensitive)
            if pruned.coversPatternAtOnce(pattern) { return .contained }
            if case .union(let members) = pruned {
                for case .pattern(let other) in members
                where GlobSet.pattern(pattern).search(
                    notIn: .pattern(other), caseInsensitive: caseInsensitive, stateBudget: stateBudget) == .contained
                {
                    return .contained
                }
            }
            return lhs.readableSearch(
                notIn: pruned, caseInsensitive: caseInsensitive, stateBudget: stateBudget, readable: readable)
        default:
            break
        }
        return lhs.readableSearch(
            notIn: rhs, caseInsensitive: caseInsensitive, stateBudget: stateBudget, readable: readable)
    }

    /// The search itself, with the readable-witness templates when `readable`.
    private func readableSearch(notIn other: GlobSet, caseInsensitive: Bool, stateBudget: Int, readable: Bool)
        -> GlobWitness
    {
        let plain = search(notIn: other, caseInsensitive: caseInsensitive, stateBudget: stateBudget)
        guard readable, case .witness = plain else { return plain }
        for template in nonEmptyTemplates(self.patterns) + readableTemplates(self.patterns + other.patterns) {
            let fitted = GlobSet.intersection([self, .pattern(template)])
            let budget = min(stateBudget, 20_000)
            if case .witness(let w) = fitted.search(notIn: other, caseInsensitive: caseInsensitive, stateBudget: budget)
            {
                return .witness(w)
            }
        }
        return plain
    }

    /// Whether the set, as a union, has `pattern` itself or `*` among its members.
    private func coversPatternAtOnce(_ pattern: String) -> Bool {
        switch self {
        case .all: return true
        case .pattern(let p): return p == pattern || p == "*"
        case .union(let members): return members.contains { $0.coversPatternAtOnce(pattern) }
        default: return false
        }
    }

    /// The set with every pattern that shares no string with `pattern` replaced by the empty set (judged
    /// by the literal text before the first wildcard and after the last), simplified.
    func pruned(meeting pattern: String, caseInsensitive: Bool) -> GlobSet {
        switch self {
        case .all, .empty: return self
        case .pattern(let p):
            return mayMeet(p, pattern, caseInsensitive: caseInsensitive) ? self : .empty
        case .union(let members):
            var kept: [GlobSet] = []
            for member in members {
                let m = member.pruned(meeting: pattern, caseInsensitive: caseInsensitive)
                if m == .all { return .all }
                if case .union(let inner) = m { kept += inner } else if m != .empty { kept.append(m) }
            }
            return kept.isEmpty ? .empty : kept.count == 1 ? kept[0] : .union(kept)
        case .intersection(let parts):
            var kept: [GlobSet] = []
            for part in parts {
                let m = part.pruned(meeting: pattern, caseInsensitive: caseInsensitive)
                if m == .empty { return .empty }
                if m != .all { kept.append(m) }
            }
            return kept.isEmpty ? .all : kept.count == 1 ? kept[0] : .intersection(kept)
        case .complement(let inner):
            switch inner.pruned(meeting: pattern, caseInsensitive: caseInsensitive) {
            case .empty: return .all
            case .all: return .empty
            case let m: return .complement(m)
            }
        }
    }

    private func search(notIn other: GlobSet, caseInsensitive: Bool, stateBudget: Int) -> GlobWitness {
        var compiler = GlobCompiler(caseInsensitive: caseInsensitive)
        let lhs = compiler.compile(self)
        let rhs = compiler.compile(other)
        return compiler.search(lhs, notIn: rhs, stateBudget: stateBudget)
    }

    /// Every pattern text in the expression, in order.
    var patterns: [String] {
        switch self {
        case .all, .empty: return []
        case .pattern(let p): return [p]
        case .union(let sets), .intersection(let sets): return sets.flatMap(\.patterns)
        case .complement(let set): return set.patterns
        }
    }

    /// Whether `string` is in the set (policy variables in `string` are not interpreted).
    public func contains(_ string: String, caseInsensitive: Bool = false) -> Bool {
        switch self {
        case .all: return true
        case .empty: return false
        case .pattern(let p):
            var compiler = GlobCompiler(caseInsensitive: caseInsensitive)
            let compiled = compiler.pattern(p)
            let symbols = string.utf8.map { Int32(caseInsensitive ? fold($0) : $0) }
            var state = compiled.initial
            for symbol in symbols { state = compiled.step(state, symbol) }
            return compiled.accepts(state)
        case .union(let sets): return sets.contains { $0.contains(string, caseInsensitive: caseInsensitive) }
        case .intersection(let sets): return sets.allSatisfy { $0.contains(string, caseInsensitive: caseInsensitive) }
        case .complement(let set): return !set.contains(string, caseInsensitive: caseInsensitive)
        }
    }
}

/// Whether two patterns may match a common string: their literal prefixes (before the first wildcard or
/// variable) must be prefixes of one another, and likewise their literal suffixes. `false` only when they
/// are certainly disjoint.
private func mayMeet(_ a: String, _ b: String, caseInsensitive: Bool) -> Bool {
    func isWild(_ c: UInt8) -> Bool { c == UInt8(ascii: "*") || c == UInt8(ascii: "?") || c == UInt8(ascii: "$") }
    func bytes(_ s: String) -> [UInt8] { caseInsensitive ? s.utf8.map(fold) : Array(s.utf8) }
    let x = bytes(a)
    let y = bytes(b)
    let xp = x.prefix { !isWild($0) }
    let yp = y.prefix { !isWild($0) }
    let n = min(xp.count, yp.count)
    guard xp.prefix(n).elementsEqual(yp.prefix(n)) else { return false }
    if xp.count == x.count && yp.count == y.count { return x == y }
    let xs = x.reversed().prefix { !isWild($0) && $0 != UInt8(ascii: "}") }
    let ys = y.reversed().prefix { !isWild($0) && $0 != UInt8(ascii: "}") }
    let m = min(xs.count, ys.count)
    return xs.prefix(m).elementsEqual(ys.prefix(m))
}

/// The patterns with every `*` made to match at least one character (`b/*/x` → `b/?*/x`), for those
/// that have literal text: a witness then fills each wildcard instead of leaving it empty.
private func nonEmptyTemplates(_ patterns: [String]) -> [String] {
    patterns.filter { $0.contains { $0 != "*" && $0 != "?" } }.map { $0.replacingOccurrences(of: "*", with: "?*") }
}

/// `prefix?*` templates from patterns: the literal text before the first wildcard or variable, cut back to
/// its last `/` or `:`, and once more to the boundary before that.
private func readableTemplates(_ patterns: [String]) -> [String] {
    var result: [String] = []
    for pattern in patterns {
        var literal = Substring(pattern)
        if let cut = literal.firstIndex(where: { $0 == "*" || $0 == "?" || $0 == "$" }) { literal = literal[..<cut] }
        for _ in 0..<2 {
            guard let boundary = literal.lastIndex(where: { $0 == "/" || $0 == ":" }) else { break }
            let template = String(literal[...boundary]) + "?*"
            if !result.contains(template) { result.append(template) }
            literal = literal[..<boundary]
        }
    }
    return result
}

@inline(__always)
private func fold(_ byte: UInt8) -> UInt8 { byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte }

/// One element of a compiled pattern.
private enum GlobElement: Hashable {
    case symbol(Int32)  // a byte (0...255) or a variable (256...)
    case one  // ?, one character: followed by three `continuation` positions
    case continuation  // the rest of a character `?` started (UTF-8 continuation bytes)
    case many  // *
}

/// A compiled pattern: its automaton's states are the positions 0...count, held as a bit set.
private struct CompiledGlob {
    var elements: [GlobElement]

    var words: Int { elements.count / 64 + 1 }

    var initial: [UInt64] {
        var state = [UInt64](repeating: 0, count: words)
        state[0] = 1
        return close(state)
    }

    func accepts(_ state: [UInt64]) -> Bool {
        let n = elements.count
        return state[n / 64] & (1 << UInt64(n % 64)) != 0
    }

    /// Adds the positions reachable through `*` (which may match nothing).
    func close(_ state: [UInt64]) -> [UInt64] {
        var state = state
        for i in 0..<elements.count where elements[i] == .many && state[i / 64] & (1 << UInt64(i % 64)) != 0 {
            state[(i + 1) / 64] |= 1 << UInt64((i + 1) % 64)
        }
        return state
    }

    func step(_ state: [UInt64], _ symbol: Int32) -> [UInt64] {
        var next = [UInt64](repeating: 0, count: words)
        for i in 0..<elements.count where state[i / 64] & (1 << UInt64(i % 64)) != 0 {
            switch elements[i] {
            case .many:
                next[i / 64] |= 1 << UInt64(i % 64)
            case .one:
                // One character: an ASCII byte ends it; a UTF-8 lead byte goes to the position that awaits as
                // many continuation bytes as it announces (`?` is `.one` and three `.continuation`s). A
                // variable may stand for any number of characters: `?` does not cover it.
                let ahead: Int
                switch symbol {
                case 0..<0x80: ahead = 4
                case 0xC0..<0xE0: ahead = 3
                case 0xE0..<0xF0: ahead = 2
                case 0xF0..<0xF8: ahead = 1
                default: continue
                }
                next[(i + ahead) / 64] |= 1 << UInt64((i + ahead) % 64)
            case .continuation where (0x80..<0xC0).contains(symbol):
                next[(i + 1) / 64] |= 1 << UInt64((i + 1) % 64)
            case .continuation:
                break
            case .symbol(let s) where s == symbol:
                next[(i + 1) / 64] |= 1 << UInt64((i + 1) % 64)
            case .symbol:
                break
            }
        }
        return close(next)
    }
}

/// A boolean expression over "pattern i accepts".
private indirect enum Formula {
    case constant(Bool)
    case accepts(Int)
    case and([Formula])
    case or([Formula])
    case not(Formula)

    func evaluate(_ accepting: [Bool]) -> Bool {
        switch self {
        case .constant(let value): return value
        case .accepts(let i): return accepting[i]
        case .and(let fs): return fs.allSatisfy { $0.evaluate(accepting) }
        case .or(let fs): return fs.contains { $0.evaluate(accepting) }
        case .not(let f): return !f.evaluate(accepting)
        }
    }
}

private struct GlobCompiler {
    let caseInsensitive: Bool
    var patterns: [CompiledGlob] = []
    var indexByText: [String: Int] = [:]
    var variables: [String: Int32] = [:]
    var variableNames: [Int32: String] = [:]

    init(caseInsensitive: Bool) { self.caseInsensitive = caseInsensitive }

    mutating func compile(_ set: GlobSet) -> Formula {
        switch set {
        case .all: return .constant(true)
        case .empty: return .constant(false)
        case .pattern(let text):
            if let index = indexByText[text] { return .accepts(index) }
            patterns.append(pattern(text))
            indexByText[text] = patterns.count - 1
            return .accepts(patterns.count - 1)
        case .union(let sets): return .or(sets.map { compile($0) })
        case .intersection(let sets): return .and(sets.map { compile($0) })
        case .complement(let set): return .not(compile(set))
        }
    }

    mutating func pattern(_ text: String) -> CompiledGlob {
        let bytes = Array(text.utf8)
        var elements: [GlobElement] = []
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "$"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "{"),
                let close = bytes[(i + 2)...].firstIndex(of: UInt8(ascii: "}"))
            {
                let name = String(decoding: bytes[(i + 2)..<close], as: UTF8.self)
                switch name {
                case "*", "?", "$": elements.append(.symbol(Int32(name.utf8.first ?? 0)))
                default: elements.append(.symbol(variable(name)))
                }
                i = close + 1
                continue
            }
            switch b {
            case UInt8(ascii: "*"): if elements.last != .many { elements.append(.many) }
            case UInt8(ascii: "?"): elements += [.one, .continuation, .continuation, .continuation]
            default: elements.append(.symbol(Int32(caseInsensitive ? fold(b) : b)))
            }
            i += 1
        }
        return CompiledGlob(elements: elements)
    }

    mutating func variable(_ name: String) -> Int32 {
        let key = caseInsensitive ? name.lowercased() : name
        if let id = variables[key] { return id }
        let id = Int32(256 + variables.count)
        variables[key] = id
        variableNames[id] = "${\(name)}"
        return id
    }

    /// The symbols worth trying: every literal of every pattern, and one symbol that none names.
    func alphabet() -> [Int32] {
        var symbols = Set<Int32>()
        for p in patterns {
            for case .symbol(let s) in p.elements { symbols.insert(s) }
        }
        let preferred = Array("abcdefghijklmnopqrstuvwxyz0123456789-_".utf8).map { Int32($0) }
        if let other = preferred.first(where: { !symbols.contains($0) }) {
            symbols.insert(other)
        } else if let other = (33..<127).map({ Int32($0) }).first(where: { !symbols.contains($0) }) {
            symbols.insert(other)
        }
        // Letters and digits first, so that witnesses read like names (`b/a`, not `b//`).
        func rank(_ s: Int32) -> Int {
            switch s {
            case 97...122: return 0
            case 48...57: return 1
            case 65...90: return 2
            case 0..<256: return 3
            default: return 4
            }
        }
        return symbols.sorted { (rank($0), $0) < (rank($1), $1) }
    }

    /// The search is over valid UTF-8 strings (ARNs and action names are text): the state's last
    /// component counts the continuation bytes the last lead byte still expects, and a string is judged
    /// only when none is pending.
    func search(_ lhs: Formula, notIn rhs: Formula, stateBudget: Int) -> GlobWitness {
        let alphabet = alphabet()
        let start = patterns.map(\.initial) + [[0]]
        var seen: [[[UInt64]]: Int] = [start: 0]
        var states: [[[UInt64]]] = [start]
        var parent: [(Int, Int32)] = [(-1, 0)]
        var head = 0
        while head < states.count {
            let state = states[head]
            let pending = state[patterns.count][0]
            let accepting = zip(patterns, state).map { $0.accepts($1) }
            if pending == 0, lhs.evaluate(accepting) && !rhs.evaluate(accepting) {
                return .witness(spell(head, parent))
            }
            for symbol in alphabet {
                guard let after = Self.utf8(pending: pending, then: symbol) else { continue }
                let next = zip(patterns, state).map { $0.step($1, symbol) } + [[after]]
                if seen[next] == nil {
                    if states.count >= stateBudget { return .undecided }
                    seen[next] = states.count
                    states.append(next)
                    parent.append((head, symbol))
                }
            }
            head += 1
        }
        return .contained
    }

    /// The continuation bytes still expected after `symbol` when `pending` were before it; `nil` when the
    /// bytes would not be UTF-8 (variables are whole characters).
    private static func utf8(pending: UInt64, then symbol: Int32) -> UInt64? {
        if pending > 0 { return (0x80..<0xC0).contains(symbol) ? pending - 1 : nil }
        switch symbol {
        case 0..<0x80, 256...: return 0
        case 0xC2..<0xE0: return 1
        case 0xE0..<0xF0: return 2
        case 0xF0..<0xF5: return 3
        default: return nil
        }
    }

    private func spell(_ index: Int, _ parent: [(Int, Int32)]) -> String {
        var symbols: [Int32] = []
        var i = index
        while parent[i].0 >= 0 {
            symbols.append(parent[i].1)
            i = parent[i].0
        }
        var text = ""
        var bytes: [UInt8] = []
        for symbol in symbols.reversed() {
            if symbol < 256 {
                bytes.append(UInt8(symbol))
            } else {
                text += String(decoding: bytes, as: UTF8.self) + (variableNames[symbol] ?? "")
                bytes.removeAll()
            }
        }
        return text + String(decoding: bytes, as: UTF8.self)
    }
}
