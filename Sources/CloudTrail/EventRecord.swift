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

    /// `resources[].ARN`, at most ``EventRecord/maximumResources``.
    public internal(set) var resources: [ByteSlice] = []
    /// The top-level keys of `requestParameters`, at most ``EventRecord/maximumParameters``.
    public internal(set) var parameterKeys: [ByteSlice] = []
    /// For each key of ``parameterKeys``, its value when it is a string.
    public internal(set) var parameterValues: [ByteSlice?] = []

    /// Why the record's time is unusable: set when `eventTime` (or `@timestamp`) is present but invalid.
    var badTime: ByteSlice?
    var timestampFallback: Int64?

    public static let maximumResources = 32
    public static let maximumParameters = 64

    public init() {
        resources.reserveCapacity(Self.maximumResources)
        parameterKeys.reserveCapacity(Self.maximumParameters)
        parameterValues.reserveCapacity(Self.maximumParameters)
    }

    /// Whether `requestParameters` has `key` (the `when` extras of event resolution).
    public func hasParameter(_ key: String) -> Bool {
        var key = key
        return key.withUTF8 { hasParameter(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// Whether `requestParameters` has the key spelled by `bytes`.
    @inlinable
    public func hasParameter(bytes key: UnsafeRawBufferPointer) -> Bool {
        parameterKeys.contains { $0.hasSameBytes(as: key) }
    }

    /// The string value of the top-level request parameter `key`, if any.
    @inlinable
    public func parameter(_ key: StaticString) -> ByteSlice? {
        for (i, k) in parameterKeys.enumerated() where k.equals(key) { return parameterValues[i] }
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
        if !resources.isEmpty { resources.removeAll(keepingCapacity: true) }
        if !parameterKeys.isEmpty {
            parameterKeys.removeAll(keepingCapacity: true)
            parameterValues.removeAll(keepingCapacity: true)
        }
    }
}
