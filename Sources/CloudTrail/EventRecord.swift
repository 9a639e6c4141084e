/// The fields pare needs from one CloudTrail record, as byte slices into the reader's buffers.
///
/// A reader reuses one value for every record of a file: the slices are valid only during the
/// callback that receives the record. Text fields are `nil` when the key is absent or `null`. A struct,
/// so that the parser fills it without the dynamic exclusivity checks of class properties.
public struct EventRecord {
    /// 1-based position of the record in its file (array element or top-level value).
    public internal(set) var index = 0
    /// 1-based line of the record's start for JSON Lines input; `nil` for arrays.
    public internal(set) var line: Int?

    /// `eventTime`, or `@timestamp` when `eventTime` is absent (Logstash and CloudWatch exports), in
    /// seconds since the epoch.
    public internal(set) var time: Int64?
    public internal(set) var eventSource: ByteSlice?
    public internal(set) var eventName: ByteSlice?
    public internal(set) var awsRegion: ByteSlice?
    public internal(set) var recipientAccountId: ByteSlice?
    public internal(set) var errorCode: ByteSlice?
    /// `AwsApiCall`, `AwsServiceEvent`, `AwsConsoleSignIn`, …
    public internal(set) var eventType: ByteSlice?
    /// `Management`, `Data`, `Insight`.
    public internal(set) var eventCategory: ByteSlice?
    public internal(set) var managementEvent: Bool?

    /// Whether the record has a `userIdentity` object.
    public internal(set) var hasUserIdentity = false
    /// `userIdentity.type`: `IAMUser`, `AssumedRole`, `Root`, `FederatedUser`, `AWSService`, …
    public internal(set) var identityType: ByteSlice?
    public internal(set) var identityArn: ByteSlice?
    public internal(set) var identityAccountId: ByteSlice?
    public internal(set) var identityPrincipalId: ByteSlice?
    public internal(set) var identityUserName: ByteSlice?
    /// `userIdentity.invokedBy` (the service acting for an `AWSService` identity).
    public internal(set) var identityInvokedBy: ByteSlice?
    /// `userIdentity.sessionContext.sessionIssuer.arn` / `.type`.
    public internal(set) var issuerArn: ByteSlice?
    public internal(set) var issuerType: ByteSlice?
    /// Names the `userIdentity` object when the reader remembered it: records with the same non-zero token
    /// (from one reader) have byte-identical identities. 0 otherwise.
    public internal(set) var identityToken: UInt64 = 0

    /// `resources[].ARN`, at most ``EventRecord/maximumResources``.
    public internal(set) var resources: [ByteSlice] = []
    /// The top-level members of `requestParameters` whose value is not absent (``isAbsent(_:)``), at most
    /// ``EventRecord/maximumParameters``: each key, with its value when it is a string. (One array, not
    /// one of keys and one of values: half the appends and removals per event.)
    public internal(set) var parameters: [(key: ByteSlice, value: ByteSlice?)] = []
    /// `requestParameters` as raw JSON, when it is an object (read for dot-separated paths only).
    public internal(set) var requestParametersJSON: ByteSlice?

    /// Why the record's time is unusable: set when `eventTime` (or `@timestamp`) is present but invalid.
    var badTime: ByteSlice?
    var timestampFallback: Int64?

    public static let maximumResources = 32
    public static let maximumParameters = 64

    public init() {
        resources.reserveCapacity(Self.maximumResources)
        parameters.reserveCapacity(Self.maximumParameters)
    }

    /// Whether `requestParameters` has `path` with a value that is not absent (``isAbsent(_:)``: `null`,
    /// `""`, `{}`, `[]`) (the `when` extras of event resolution): a key (`iamInstanceProfile`) or a
    /// dot-separated path into nested objects (`overrides.taskRoleArn`), as
    /// `EventResolution.actions(requestParametersJSON:)` reads it.
    public func hasParameter(_ path: String) -> Bool {
        var path = path
        let isPath = path.utf8.contains(UInt8(ascii: "."))
        return path.withUTF8 { hasParameter(bytes: UnsafeRawBufferPointer($0), isPath: isPath) }
    }

    /// ``hasParameter(_:)`` with the path spelled by `bytes`, and whether it has a dot (the caller knows it
    /// once per path, not per event): a top-level key is looked up in ``parameters`` (the common case, on
    /// the hot path), a dot-separated path in the raw JSON.
    @inlinable
    public func hasParameter(bytes path: UnsafeRawBufferPointer, isPath: Bool) -> Bool {
        guard isPath else { return parameters.contains { $0.key.hasSameBytes(as: path) } }
        guard let json = requestParametersJSON, let value = Self.member(json, path: path) else { return false }
        return !Self.isAbsent(value)
    }

    /// The raw JSON value at the dot-separated `path` of the object `json`, `nil` when there is none. Keys are
    /// compared as written (a key spelled with escapes does not match).
    @usableFromInline
    static func member(_ json: ByteSlice, path: ByteSlice) -> ByteSlice? {
        guard let base = json.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        var c = JSONCursor(p: base, end: base + json.count)
        var rest = path
        do {
            while true {
                let dot = rest.firstIndex(of: UInt8(ascii: "."))
                let name = dot.map { ByteSlice(rebasing: rest[..<$0]) } ?? rest
                try c.skipWhitespace()
                guard c.p.pointee == UInt8(ascii: "{") else { return nil }
                c.p += 1
                try c.skipWhitespace()
                if c.p.pointee == UInt8(ascii: "}") { return nil }
                var found = false
                repeat {
                    try c.expect(UInt8(ascii: "\""), "expected a key")
                    let (start, count, _) = try c.scanString()
                    try c.expect(UInt8(ascii: ":"), "expected `:`")
                    if ByteSlice(start: start, count: count).hasSameBytes(as: name) {
                        found = true
                        break
                    }
                    try c.skipValue()
                } while try c.nextMember(close: UInt8(ascii: "}"))
                guard found else { return nil }
                guard let dot else {
                    try c.skipWhitespace()
                    let start = c.p
                    try c.skipValue()
                    return ByteSlice(start: start, count: c.p - start)
                }
                rest = ByteSlice(rebasing: rest[(dot + 1)...])
            }
        } catch {
            return nil
        }
    }

    /// The raw JSON value at the dot-separated `path` of `requestParameters` (a top-level key, or
    /// `overrides.taskRoleArn`), `nil` when there is none. Read for the roles an event passes, not on the
    /// hot path.
    public func parameterJSON(bytes path: UnsafeRawBufferPointer) -> ByteSlice? {
        requestParametersJSON.flatMap { Self.member($0, path: path) }
    }

    /// The roles in a raw JSON value at a parameter that passes roles: itself when it is a string, the
    /// strings of an array, and in an array of objects (SageMaker `instanceGroups`) their members named
    /// `…Role` or `…RoleArn`. Strings with escapes are left out.
    public static func roles(in json: ByteSlice) -> [ByteSlice] {
        guard let base = json.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return [] }
        var c = JSONCursor(p: base, end: base + json.count)
        var out: [ByteSlice] = []
        func string(_ c: inout JSONCursor) throws(ScanError) {
            c.p += 1
            let (start, count, escaped) = try c.scanString()
            if !escaped, count > 0 { out.append(ByteSlice(start: start, count: count)) }
        }
        do {
            try c.skipWhitespace()
            guard c.p.pointee == UInt8(ascii: "[") else {
                if c.p.pointee == UInt8(ascii: "\"") { try string(&c) }
                return out
            }
            c.p += 1
            try c.skipWhitespace()
            if c.p.pointee == UInt8(ascii: "]") { return out }
            repeat {
                try c.skipWhitespace()
                switch c.p.pointee {
                case UInt8(ascii: "\""):
                    try string(&c)
                case UInt8(ascii: "{"):
                    c.p += 1
                    try c.skipWhitespace()
                    if c.p.pointee == UInt8(ascii: "}") {
                        c.p += 1
                        continue
                    }
                    repeat {
                        try c.expect(UInt8(ascii: "\""), "expected a key")
                        let (start, count, _) = try c.scanString()
                        try c.expect(UInt8(ascii: ":"), "expected `:`")
                        let key = String(decoding: ByteSlice(start: start, count: count), as: UTF8.self).lowercased()
                        try c.skipWhitespace()
                        if key.hasSuffix("role") || key.hasSuffix("rolearn"), c.p.pointee == UInt8(ascii: "\"") {
                            try string(&c)
                        } else {
                            try c.skipValue()
                        }
                    } while try c.nextMember(close: UInt8(ascii: "}"))
                default:
                    try c.skipValue()
                }
            } while try c.nextMember(close: UInt8(ascii: "]"))
        } catch {
            return out
        }
        return out
    }

    /// Whether the raw JSON value `value` passes nothing: `null`, the empty string, or an empty object or
    /// array (whitespace inside allowed). A request that passes `"iamInstanceProfile": {}` or
    /// `"roleArn": ""` passes no role.
    @usableFromInline
    static func isAbsent(_ value: ByteSlice) -> Bool {
        guard let first = value.first, let last = value.last, value.count >= 2 else { return false }
        switch (first, last) {
        case (UInt8(ascii: "n"), _): return value.equals("null")
        case (UInt8(ascii: "\""), _): return value.count == 2
        case (UInt8(ascii: "{"), UInt8(ascii: "}")), (UInt8(ascii: "["), UInt8(ascii: "]")):
            // An index loop: `dropFirst().dropLast()` were two generic calls per value.
            for i in 1..<(value.count - 1) {
                let b = value[i]
                if b != 0x20, b != 0x0A, b != 0x0D, b != 0x09 { return false }
            }
            return true
        default: return false
        }
    }

    /// The string value of the top-level request parameter `key`, if any.
    @inlinable
    public func parameter(_ key: StaticString) -> ByteSlice? {
        for parameter in parameters where parameter.key.equals(key) { return parameter.value }
        return nil
    }

    mutating func reset() {
        time = nil
        timestampFallback = nil
        badTime = nil
        eventSource = nil
        eventName = nil
        awsRegion = nil
        recipientAccountId = nil
        errorCode = nil
        eventType = nil
        eventCategory = nil
        managementEvent = nil
        hasUserIdentity = false
        identityType = nil
        identityArn = nil
        identityAccountId = nil
        identityPrincipalId = nil
        identityUserName = nil
        identityInvokedBy = nil
        issuerArn = nil
        issuerType = nil
        identityToken = 0
        // One element at a time: they are few, and `removeAll(keepingCapacity:)` costs more.
        while !resources.isEmpty { resources.removeLast() }
        while !parameters.isEmpty { parameters.removeLast() }
        requestParametersJSON = nil
    }
}
