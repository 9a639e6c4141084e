/// Generalizes ARNs at path boundaries: `arn:aws:s3:::bucket/reports/2023/a.csv` and thousands like it
/// become `arn:aws:s3:::bucket/reports/*`.
///
/// An ARN's *head* is everything up to and including the first `/` of its resource part (the bucket, the
/// `parameter/`, the `role/`); its *path* is the rest, in `/`-separated segments. Patterns never cut
/// above the head, so they never cross a bucket, a resource type, an account or a region.
enum PathGeneralizer {
    /// At most `limit` patterns covering every ARN of `arns`, or `nil` when that is impossible at a path
    /// boundary (an ARN without a path, or more heads than `limit`).
    ///
    /// - A complete set of at most `limit` ARNs is kept as is.
    /// - A complete larger set is cut at the deepest segment depth that gives at most `limit` patterns:
    ///   ARNs no deeper than the cut stay exact, the others become `head/segments…/*`.
    /// - An incomplete set (the store kept only a sample) says nothing about the ARNs not kept, so it is
    ///   cut at the head: `arn:aws:s3:::bucket/*`.
    static func generalize(_ arns: [String], limit: Int, complete: Bool) -> [String]? {
        let unique = Array(Set(arns)).sorted()
        if complete && unique.count <= limit { return unique }
        var split: [(head: String, segments: [Substring])] = []
        for arn in unique {
            guard let (head, path) = headAndPath(arn) else { return nil }
            split.append((head, path.split(separator: "/", omittingEmptySubsequences: false)))
        }
        if !complete {
            let heads = Set(split.map { $0.head + "*" }).sorted()
            return heads.count <= limit ? heads : nil
        }
        let deepest = split.map(\.segments.count).max() ?? 0
        for depth in stride(from: deepest - 1, through: 0, by: -1) {
            let patterns = Set(
                split.map { head, segments -> String in
                    guard segments.count > depth else { return head + segments.joined(separator: "/") }
                    return head + segments[..<depth].map { $0 + "/" }.joined() + "*"
                })
            if patterns.count <= limit { return patterns.sorted() }
        }
        return nil
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
