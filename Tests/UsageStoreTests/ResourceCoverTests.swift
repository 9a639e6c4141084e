import PropertyBased
import Testing

@testable import UsageStore

@Suite struct ResourceCoverTests {
    /// An entry as text: `arn` or `prefix*`, with its days.
    static func text(_ cover: ResourceCover) -> [String] {
        cover.entries.map {
            String(decoding: $0.bytes, as: UTF8.self) + ($0.folded ? "*" : "") + " \($0.first)-\($0.last)"
        }
    }

    static func cover(_ arns: [(String, Int32)]) -> ResourceCover {
        var cover = ResourceCover()
        for (arn, day) in arns {
            var bytes = Array(arn.utf8)
            bytes.withUnsafeMutableBytes { _ = cover.add(UnsafeRawBufferPointer($0), day: day) }
        }
        return cover
    }

    @Test func upToTheBoundEveryARNIsKept() {
        let arns = (0..<32).map { ("arn:aws:s3:::b/\($0 % 8)/\($0)", Int32($0 % 3)) }
        let cover = Self.cover(arns)
        #expect(cover.entries.count == 32)
        #expect(cover.entries.allSatisfy { !$0.folded })
        #expect(Self.text(cover).first == "arn:aws:s3:::b/0/0 0-0")
    }

    /// Issue 6's trap: thousands of object keys under a few folders become those folders. The bucket has
    /// two children (`data` itself and `data/`), `data/` two, `reports/2023/` one, `07/` thirty (2 × 2 × 30
    /// > 32: it folds), `exports/daily/` five hundred.
    @Test func thousandsOfKeysFoldIntoTheirFolders() {
        var arns = [("arn:aws:s3:::data", Int32(19_000))]
        arns += (1...2_500).map { i in
            ("arn:aws:s3:::data/reports/2023/07/\(i % 30 + 1)/part-\(i).csv", Int32(19_000 + i % 30))
        }
        arns += (1...500).map { ("arn:aws:s3:::data/exports/daily/\($0).json", Int32(19_005)) }
        #expect(
            Self.text(Self.cover(arns)) == [
                "arn:aws:s3:::data 19000-19000", "arn:aws:s3:::data/exports/daily/* 19005-19005",
                "arn:aws:s3:::data/reports/2023/07/* 19000-19029",
            ])
    }

    /// The product is bounded inclusively: `b/` has two children, `x/` 16 (2 × 16 = 32 stays), `y/` 17
    /// (34 folds).
    @Test func aProductOfExactlyTheBoundStays() {
        let arns =
            (0..<16).map { ("arn:aws:s3:::b/x/\($0)", Int32(1)) }
            + (0..<17).map { ("arn:aws:s3:::b/y/\($0)", Int32(2)) }
        let cover = Self.cover(arns)
        #expect(cover.entries.count == 17)
        #expect(Self.text(cover).suffix(2) == ["arn:aws:s3:::b/x/9 1-1", "arn:aws:s3:::b/y/* 2-2"])
    }

    /// Past the bound with more buckets than a cover can name, the ARN head folds: the bucket is crossed
    /// only then, and the cover says so with `arn:aws:s3:::*`.
    @Test func tooManyBucketsFoldTheHead() {
        let arns = (0..<33).map { ("arn:aws:s3:::bucket-\($0)/k", Int32(1)) } + [("arn:aws:iam::1:role/r", Int32(2))]
        #expect(Self.text(Self.cover(arns)) == ["arn:aws:iam::1:role/r 2-2", "arn:aws:s3:::* 1-1"])
    }

    /// Adding a folded prefix absorbs what it covers; an exact ARN equal to a folded prefix is covered.
    @Test func mergingAFoldedPrefixAbsorbsWhatItCovers() {
        var cover = Self.cover([("arn:aws:s3:::b/x/1", 3), ("arn:aws:s3:::b/x/", 4), ("arn:aws:s3:::b/y", 5)])
        cover.merge(ResourceCover.Entry(bytes: Array("arn:aws:s3:::b/x/".utf8), folded: true, first: 1, last: 2))
        cover.fold()
        #expect(Self.text(cover) == ["arn:aws:s3:::b/x/* 1-4", "arn:aws:s3:::b/y 5-5"])
        #expect(cover.entries.map(\.changed) == [true, true])
        cover.markHandedOver()
        var bytes = Array("arn:aws:s3:::b/x/2".utf8)
        #expect(bytes.withUnsafeMutableBytes { cover.add(UnsafeRawBufferPointer($0), day: 3) } == false)
        #expect(bytes.withUnsafeMutableBytes { cover.add(UnsafeRawBufferPointer($0), day: 9) } == true)
        #expect(Self.text(cover) == ["arn:aws:s3:::b/x/* 1-9", "arn:aws:s3:::b/y 5-5"])
        #expect(cover.entries.map(\.changed) == [true, false])
    }

    /// An ARN added to a cover made of merged rows is found among them: it widens its entry, and the cover
    /// does not take it a second time.
    @Test func anARNAddedAfterAMergeFindsItsEntry() {
        var cover = ResourceCover()
        for (arn, day) in [("arn:aws:s3:::b/k1", Int32(5)), ("arn:aws:s3:::b/k2", 6)] {
            cover.merge(ResourceCover.Entry(bytes: Array(arn.utf8), folded: false, first: day, last: day))
        }
        cover.fold()
        var bytes = Array("arn:aws:s3:::b/k2".utf8)
        #expect(bytes.withUnsafeMutableBytes { cover.add(UnsafeRawBufferPointer($0), day: 9) } == true)
        #expect(Self.text(cover) == ["arn:aws:s3:::b/k1 5-5", "arn:aws:s3:::b/k2 6-9"])
    }

    // MARK: Order independence

    static let heads = [
        "arn:aws:s3:::b1/", "arn:aws:s3:::b2/", "arn:aws:iam::111122223333:role/",
        "arn:aws:ssm:us-east-1:111122223333:parameter/", "arn:aws:ssm:eu-west-1:111122223333:parameter/",
        "arn:aws:lambda:us-east-1:111122223333:function:", "arn:aws:s3:::b",
    ]
    /// An ARN: a head, then up to four segments drawn from alphabets of 2 to 40 names (so that some folders
    /// have few entries and some many), sometimes ending in `/` (an S3 folder object); and a day.
    static let arn = zip(
        Gen.int(in: 0...(heads.count - 1)), Gen.int(in: 0...39).array(of: 0...4), Gen.int(in: 0...3),
        Gen.int(in: 0...9)
    ).map { head, segments, width, day -> (String, Int32) in
        let alphabet = [2, 5, 12, 40][width]
        let path = segments.enumerated().map { "s\($0.offset)-\($0.element % alphabet)" }.joined(separator: "/")
        return (heads[head] + path + (day == 9 && !path.isEmpty ? "/" : ""), Int32(day))
    }

    /// The cover of a set of ARNs does not depend on the order they are added in, nor on how the set is
    /// split into covers merged later (threads, batches, the store); it is exactly what the definition
    /// gives (checked by an independent computation over the whole set), covers every ARN, stays within
    /// the bound, and each entry's days are those of the ARNs under it.
    @Test func theCoverIsAFunctionOfTheSetOfARNs() async {
        await propertyCheck(count: 300, input: Self.arn.array(of: 0...400), Gen.int(in: 1...5)) { arns, parts in
            let expected = Self.reference(arns)
            let inOrder = Self.cover(arns)
            #expect(Self.text(inOrder) == expected)
            #expect(Self.text(Self.cover(arns.reversed())) == expected)
            // Split into parts folded apart, then merged in reverse.
            var merged = ResourceCover()
            for part in (0..<parts).reversed() {
                let piece = Self.cover(arns.enumerated().filter { $0.offset % parts == part }.map(\.element))
                for entry in piece.entries { merged.merge(entry) }
                merged.fold()
            }
            #expect(Self.text(merged) == expected)
            #expect(inOrder.entries.count <= UsageStore.resourceCoverSize)
            for (arn, _) in arns {
                let bytes = Array(arn.utf8)
                #expect(
                    inOrder.entries.contains { $0.folded ? bytes.starts(with: $0.bytes) : $0.bytes == bytes },
                    "`\(arn)` is not covered")
            }
        }
    }

    /// The cover by its definition, computed over the whole set at once: past the bound, the highest nodes
    /// whose path from the root has a product of numbers of children above the bound stand for their ARNs.
    static func reference(_ arns: [(String, Int32)]) -> [String] {
        var days: [String: (Int32, Int32)] = [:]
        for (arn, day) in arns {
            let old = days[arn] ?? (day, day)
            days[arn] = (min(old.0, day), max(old.1, day))
        }
        // The nodes above each ARN, from the root: "", the head through the fifth `:`, then each `/`.
        func nodes(_ arn: String) -> [String] {
            let bytes = Array(arn.utf8)
            var nodes = [""]
            var colons = 0
            guard
                let head = bytes.indices.first(where: { i in
                    if bytes[i] == UInt8(ascii: ":") { colons += 1 }
                    return colons == 5
                })
            else { return nodes }
            nodes.append(String(decoding: bytes[...head], as: UTF8.self))
            for i in (head + 1)..<bytes.count where bytes[i] == UInt8(ascii: "/") {
                nodes.append(String(decoding: bytes[...i], as: UTF8.self))
            }
            return nodes
        }
        var children: [String: Set<String>] = [:]
        for arn in days.keys {
            let chain = nodes(arn)
            for (i, node) in chain.enumerated() {
                children[node, default: []].insert(i + 1 < chain.count ? chain[i + 1] : "leaf " + arn)
            }
        }
        var entries: [String: (Int32, Int32)] = [:]
        for (arn, span) in days {
            var text = arn
            if days.count > UsageStore.resourceCoverSize {
                var product = 1
                for node in nodes(arn) {
                    product *= children[node]?.count ?? 1
                    if product > UsageStore.resourceCoverSize {
                        text = node + "*"
                        break
                    }
                }
            }
            let old = entries[text] ?? span
            entries[text] = (min(old.0, span.0), max(old.1, span.1))
        }
        // Byte order of the entries' bytes (a folded prefix without its `*`).
        return entries.sorted { a, b in
            let ka = Array((a.key.hasSuffix("*") ? String(a.key.dropLast()) : a.key).utf8)
            let kb = Array((b.key.hasSuffix("*") ? String(b.key.dropLast()) : b.key).utf8)
            return ka.lexicographicallyPrecedes(kb)
        }.map { "\($0.key) \($0.value.0)-\($0.value.1)" }
    }
}
