#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The `userIdentity` objects read last, with their fields, so that an identity seen again (a session's
/// calls repeat it byte for byte) is recognised by one compare instead of parsed again.
///
/// Two-way set-associative by a hash of an object's first ``fingerprintBytes`` bytes (a new object takes
/// the slot of its set used less recently); a slot holds one object's bytes and where its fields are. A
/// JSON object is self-delimiting: when the bytes at the cursor start with a slot's whole object, the
/// value there is that object, and its fields are the slot's. Raw memory shared by the copies of the
/// parser that owns it (``deallocate()`` once).
struct IdentityMemo {
    static let sets = 512
    static let slots = 2 * sets
    /// Objects longer than this are parsed every time (they are rare).
    static let slotBytes = 1024
    /// Bytes hashed to pick a slot; shorter objects (no session context, nothing worth remembering) and
    /// objects too close to the end of the bytes read so far are parsed.
    static let fingerprintBytes = 64
    /// The identity fields remembered per object (in the order of ``recall(_:into:)``).
    static let fieldCount = 8

    /// `slots` × `slotBytes`.
    private let bytes: UnsafeMutableRawPointer
    /// Per slot: the object's length (0: empty) and its token.
    private let lengths: UnsafeMutablePointer<Int32>
    private let tokens: UnsafeMutablePointer<UInt64>
    /// Per slot, per field: offset and length in the slot's bytes (offset -1: absent).
    private let spans: UnsafeMutablePointer<Int32>
    /// Per set: the slot used last.
    private let recent: UnsafeMutablePointer<Int32>
    /// Tokens handed out so far, and the misses since the last hit.
    private let issued: UnsafeMutablePointer<UInt64>
    private let misses: UnsafeMutablePointer<Int>

    init() {
        bytes = UnsafeMutableRawPointer.allocate(byteCount: Self.slots * Self.slotBytes, alignment: 64)
        lengths = .allocate(capacity: Self.slots)
        lengths.initialize(repeating: 0, count: Self.slots)
        tokens = .allocate(capacity: Self.slots)
        tokens.initialize(repeating: 0, count: Self.slots)
        spans = .allocate(capacity: Self.slots * Self.fieldCount * 2)
        spans.initialize(repeating: -1, count: Self.slots * Self.fieldCount * 2)
        recent = .allocate(capacity: Self.sets)
        for set in 0..<Self.sets { (recent + set).initialize(to: Int32(2 * set + 1)) }
        issued = .allocate(capacity: 1)
        issued.initialize(to: 0)
        misses = .allocate(capacity: 1)
        misses.initialize(to: 0)
    }

    func deallocate() {
        bytes.deallocate()
        lengths.deallocate()
        tokens.deallocate()
        spans.deallocate()
        recent.deallocate()
        issued.deallocate()
        misses.deallocate()
    }

    /// The set for the object starting at `p` (at least ``fingerprintBytes`` readable).
    @inline(__always)
    func set(_ p: UnsafePointer<UInt8>) -> Int {
        let raw = UnsafeRawPointer(p)
        var h: UInt64 = 0
        // Eight words, multiplied independently, then folded.
        for i in 0..<(Self.fingerprintBytes / 8) {
            h ^= raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self) &* (0x9E37_79B9_7F4A_7C15 &+ UInt64(i) << 1)
            h = (h << 23) | (h >> 41)
        }
        h = (h ^ (h >> 29)) &* 0xBF58_476D_1CE4_E5B9
        return Int(truncatingIfNeeded: h >> 32) & (Self.sets - 1)
    }

    /// The slot of `set` whose object the `available` bytes at `p` start with, and its length; else `nil`.
    @inline(__always)
    func match(_ set: Int, _ p: UnsafePointer<UInt8>, available: Int) -> (slot: Int, length: Int)? {
        for slot in (2 * set)...(2 * set + 1) {
            let length = Int(lengths[slot])
            if length > 0, length <= available, memcmp(p, bytes + slot * Self.slotBytes, length) == 0 {
                recent[set] = Int32(slot)
                misses.pointee = 0
                return (slot, length)
            }
        }
        misses.pointee += 1
        return nil
    }

    /// Whether an object just missed is worth remembering: always, unless more than 16 in a row missed
    /// (identities that do not repeat: a call per session); then one in 16, so that identities that
    /// begin to repeat are found again. (Remembering costs a copy of the object into a cold slot, about
    /// as much as the parse it saves, for nothing when the object never comes back.)
    @inline(__always)
    var remembers: Bool { misses.pointee <= 16 || misses.pointee & 15 == 0 }

    /// Sets the identity fields of `r` to those of the object in `slot`, and its token. (The fields in the
    /// order of ``remember(_:_:length:from:)``.)
    @inline(__always)
    func recall(_ slot: Int, into r: inout EventRecord) {
        r.hasUserIdentity = true
        r.identityType = field(slot, 0)
        r.identityArn = field(slot, 1)
        r.identityAccountId = field(slot, 2)
        r.identityPrincipalId = field(slot, 3)
        r.identityUserName = field(slot, 4)
        r.identityInvokedBy = field(slot, 5)
        r.issuerArn = field(slot, 6)
        r.issuerType = field(slot, 7)
        r.identityToken = tokens[slot]
    }

    /// Field `field` of the object in `slot` (`nil` when the object lacks it).
    @inline(__always)
    private func field(_ slot: Int, _ field: Int) -> ByteSlice? {
        let at = (slot * Self.fieldCount + field) * 2
        let offset = Int(spans[at])
        guard offset >= 0 else { return nil }
        return ByteSlice(start: bytes + slot * Self.slotBytes + offset, count: Int(spans[at + 1]))
    }

    /// Remembers in `set` (in its slot used less recently) the object of `length` bytes at `p`, with the
    /// identity fields `r` read from it (slices of those bytes); its token, or 0 when it is not remembered
    /// (shorter than ``fingerprintBytes``, longer than a slot, or with a field decoded elsewhere).
    func remember(_ set: Int, _ p: UnsafePointer<UInt8>, length: Int, from r: borrowing EventRecord) -> UInt64 {
        // (A shorter object's slot depends on the bytes after it: it would only take another's slot.)
        guard length >= Self.fingerprintBytes, length <= Self.slotBytes else { return 0 }
        let start = UnsafeRawPointer(p)
        func inside(_ field: ByteSlice?) -> Bool {
            guard let field else { return true }
            guard let base = field.baseAddress else { return false }
            return base >= start && base + field.count <= start + length
        }
        guard inside(r.identityType), inside(r.identityArn), inside(r.identityAccountId),
            inside(r.identityPrincipalId), inside(r.identityUserName), inside(r.identityInvokedBy),
            inside(r.issuerArn), inside(r.issuerType)
        else { return 0 }
        // The other slot of the set than the one used last (their indices add up to 4 × set + 1).
        let slot = 4 * set + 1 - Int(recent[set])
        recent[set] = Int32(slot)
        (bytes + slot * Self.slotBytes).copyMemory(from: start, byteCount: length)
        func put(_ i: Int, _ field: ByteSlice?) {
            let at = (slot * Self.fieldCount + i) * 2
            if let field, let base = field.baseAddress {
                spans[at] = Int32(start.distance(to: base))
                spans[at + 1] = Int32(field.count)
            } else {
                spans[at] = -1
                spans[at + 1] = 0
            }
        }
        put(0, r.identityType)
        put(1, r.identityArn)
        put(2, r.identityAccountId)
        put(3, r.identityPrincipalId)
        put(4, r.identityUserName)
        put(5, r.identityInvokedBy)
        put(6, r.issuerArn)
        put(7, r.issuerType)
        lengths[slot] = Int32(length)
        issued.pointee += 1
        tokens[slot] = issued.pointee
        return issued.pointee
    }
}
