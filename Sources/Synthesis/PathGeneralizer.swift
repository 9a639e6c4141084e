/// Generalizes ARNs at path boundaries: `arn:aws:s3:::bucket/reports/2023/a.csv` and thousands like it
/// become `arn:aws:s3:::bucket/reports/*`.
///
/// An ARN's *head* is everything up to and including the first `/` of its resource part (the bucket, the
/// `parameter/`, the `role/`); its *path* is the rest, in `/`-separated segments. Patterns never cut
/// above the head, so they never cross a bucket, a resource type, an account or a region.
enum PathGeneralizer {
    /// At most `limit` patterns covering every ARN of `arns` and every ARN under the prefixes `folded`
    /// (a store's cover: ``UsageStore/ResourceSample``), or `nil` when that is impossible at a path
    /// boundary (an ARN without a path, a prefix above a head, or more heads than `limit`).
    ///
    /// - A complete set of at most `limit` ARNs and prefixes is kept as is (a prefix as `prefix*`).
    /// - A complete larger set is folded, one folder at a time, into `head/folder/*` patterns: each step
    ///   folds the folder with the most entries (ties: the deeper, then the first in byte order), until at
    ///   most `limit` remain. Thousands of keys under a few folders become those few folders.
    /// - An incomplete set (a sample of a store before v3) says nothing about the ARNs not kept, so it is
    ///   cut at the head: `arn:aws:s3:::bucket/*`.
    static func generalize(_ arns: [String], folded: [String] = [], limit: Int, complete: Bool) -> [String]? {
        let unique = Array(Set(arns)).sorted()
        var prefixes: [Pattern] = []
        for prefix in Set(folded).sorted() {
            guard let pattern = folder(prefix) else { return nil }
            prefixes.append(pattern)
        }
        if complete && unique.count + prefixes.count <= limit {
            return (unique.map(literal) + prefixes.map(\.text)).sorted()
        }
        var patterns = Set(prefixes)
        for arn in unique {
            guard let (head, path) = headAndPath(arn) else { return nil }
            patterns.insert(
                Pattern(
                    head: head, segments: path.split(separator: "/", omittingEmptySubsequences: false).map(String.init),
                    folder: false))
        }
        if !complete { patterns = Set(patterns.map { Pattern(head: $0.head, segments: [], folder: true) }) }
        while patterns.count > limit {
            var children: [Pattern: Int] = [:]
            for pattern in patterns {
                guard let parent = pattern.parent else { continue }
                children[parent, default: 0] += 1
            }
            guard
                let fold = children.filter({ $0.value > 1 }).max(by: { a, b in
                    (a.value, a.key.segments.count, b.key.text) < (b.value, b.key.segments.count, a.key.text)
                })?.key
            else { return nil }
            patterns = Set(patterns.map { $0.parent == fold ? fold : $0 })
        }
        return patterns.map(\.text).sorted()
    }

    /// An exact ARN (`head` + segments) or a folder pattern (`head` + segments + `/*`).
    struct Pattern: Hashable {
        var head: String
        var segments: [String]
        var folder: Bool

        /// The folder pattern one level up; `nil` for `head*`.
        var parent: Pattern? {
            if folder && segments.isEmpty { return nil }
            return Pattern(head: head, segments: Array(segments.dropLast()), folder: true)
        }

        var text: String {
            folder
                ? PathGeneralizer.literal(head + segments.map { $0 + "/" }.joined()) + "*"
                : PathGeneralizer.literal(head + segments.joined(separator: "/"))
        }
    }

    /// The folder pattern of a folded prefix (`head/reports/` → `head/reports/*`); `nil` above a head.
    static func folder(_ prefix: String) -> Pattern? {
        guard let (head, path) = headAndPath(prefix) else { return nil }
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().map(String.init)
        return Pattern(head: head, segments: segments, folder: true)
    }

    /// The resource element for a replay target: `target` itself, or for a folded prefix's target
    /// (`prefix*`) the folder pattern.
    static func resource(_ target: String, folded: Bool) -> String {
        folded ? literal(String(target.dropLast())) + "*" : literal(target)
    }

    /// `text` as a resource that matches only itself: IAM's `*`, `?` and `$` written `${*}`, `${?}`, `${$}`
    /// (policy language 2012-10-17), so an object key with a `*` does not become a wildcard.
    static func literal(_ text: String) -> String {
        guard text.contains(where: { $0 == "*" || $0 == "?" || $0 == "$" }) else { return text }
        var out = ""
        for character in text {
            if character == "*" || character == "?" || character == "$" {
                out += "${\(character)}"
            } else {
                out.append(character)
            }
        }
        return out
    }

    /// The head (through the first `/` after the fifth `:`) and the path of `arn`; `nil` without a path.
    static func headAndPath(_ arn: String) -> (String, Substring)? {
        var colons = 0
        var index = arn.startIndex
        while index < arn.endIndex, colons < 5 {
            if arn[index] == ":" { colons += 1 }
            index = arn.index(after: index)
        }
        guard colons == 5, let slash = arn[index...].firstIndex(of: "/") else { return nil }
        let afterSlash = arn.index(after: slash)
        return (String(arn[..<afterSlash]), arn[afterSlash...])
    }
}
