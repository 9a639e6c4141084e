/// A resource type of a service, with its ARN template (`arn:${Partition}:s3:::${BucketName}`).
public struct ResourceType: Sendable, Hashable {
    /// The name the Service Authorization Reference uses (`bucket`, `object`).
    public var name: String
    /// The ARN template with `${Partition}`, `${Region}`, `${Account}` and resource placeholders.
    public var arnTemplate: String
    /// Condition keys that apply to the resource type.
    public var conditionKeys: [String]

    /// The service field of the template (`ec2` in `arn:${Partition}:ec2:${Region}:…`): the service whose
    /// ARNs name resources of this type, which need not be the action's (`iam` roles for `sts:AssumeRole`).
    public var service: String {
        let fields = arnTemplate.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
        return fields.count > 2 ? String(fields[2]) : ""
    }
}

/// A resource type an action can act on; `required` is the reference's "required" flag (`*`).
public struct ActionResourceType: Sendable, Hashable {
    public var resourceType: ResourceType
    public var required: Bool
}
