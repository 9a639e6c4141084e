/// An IPv4 or IPv6 network in CIDR notation (`203.0.113.0/24`, `2001:db8::/32`), for `IpAddress` and
/// `NotIpAddress`. A bare address is a network of one (`/32` or `/128`).
struct IPNetwork: Sendable, Hashable {
    /// 4 bytes (IPv4) or 16 bytes (IPv6).
    let address: [UInt8]
    let prefixLength: Int

    init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = IPNetwork.parseAddress(parts[0]) else { return nil }
        let bits = address.count * 8
        var prefix = bits
        if parts.count == 2 {
            guard !parts[1].isEmpty, parts[1].utf8.allSatisfy({ $0 &- UInt8(ascii: "0") < 10 }), parts[1].count <= 3,
                let n = Int(parts[1]), n <= bits
            else { return nil }
            prefix = n
        }
        self.address = address
        self.prefixLength = prefix
    }

    /// Whether `candidate` (an address, or a network that must lie inside) is in the network.
    func contains(_ candidate: IPNetwork) -> Bool {
        guard candidate.address.count == address.count, candidate.prefixLength >= prefixLength else { return false }
        var bits = prefixLength
        var i = 0
        while bits > 0 {
            let mask: UInt8 = bits >= 8 ? 0xFF : ~(0xFF >> UInt8(bits))
            if address[i] & mask != candidate.address[i] & mask { return false }
            bits -= 8
            i += 1
        }
        return true
    }

    static func parseAddress(_ text: Substring) -> [UInt8]? {
        text.contains(":") ? parseV6(text) : parseV4(text)
    }

    static func parseV4(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var out: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.utf8.allSatisfy({ $0 &- UInt8(ascii: "0") < 10 }),
                let n = Int(part), n <= 255
            else { return nil }
            out.append(UInt8(n))
        }
        return out
    }

    static func parseV6(_ text: Substring) -> [UInt8]? {
        var head: [UInt16] = []
        var tail: [UInt16] = []
        var sawGap = false
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        sawGap = halves.count == 2
        func groups(_ s: Substring, allowV4: Bool) -> [UInt16]? {
            if s.isEmpty { return [] }
            var out: [UInt16] = []
            let items = s.split(separator: ":", omittingEmptySubsequences: false)
            for (i, item) in items.enumerated() {
                if allowV4 && i == items.count - 1 && item.contains(".") {
                    guard let v4 = parseV4(item) else { return nil }
                    out.append(UInt16(v4[0]) << 8 | UInt16(v4[1]))
                    out.append(UInt16(v4[2]) << 8 | UInt16(v4[3]))
                    continue
                }
                guard !item.isEmpty, item.count <= 4, let n = UInt16(item, radix: 16) else { return nil }
                out.append(n)
            }
            return out
        }
        if sawGap {
            guard let h = groups(halves[0], allowV4: false), let t = groups(halves[1], allowV4: true) else {
                return nil
            }
            head = h
            tail = t
            guard head.count + tail.count <= 7 else { return nil }
        } else {
            guard let h = groups(halves[0], allowV4: true), h.count == 8 else { return nil }
            head = h
        }
        let all = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        return all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }
}

extension Substring {
    /// Splits on a multi-character separator (no Foundation).
    fileprivate func components(separatedBy separator: String) -> [Substring] {
        var out: [Substring] = []
        var rest = self
        let sep = Array(separator)
        while true {
            var found: Substring.Index?
            var i = rest.startIndex
            while i < rest.endIndex {
                if rest[i...].starts(with: sep) {
                    found = i
                    break
                }
                i = rest.index(after: i)
            }
            guard let at = found else { break }
            out.append(rest[..<at])
            rest = rest[rest.index(at, offsetBy: sep.count)...]
        }
        out.append(rest)
        return out
    }
}
