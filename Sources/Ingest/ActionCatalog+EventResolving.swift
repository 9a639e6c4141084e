import IAMCatalog
import IAMPolicy

extension ActionCatalog: EventResolving {
    public func resourceServices(ofAction action: String) -> [String] {
        guard let id = self.action(named: action) else { return [] }
        let own = prefix(of: id)
        var services: [String] = []
        for type in resourceTypes(of: id) {
            let service = type.resourceType.service
            if service != own, !service.isEmpty, !service.contains("$"), !services.contains(service) {
                services.append(service)
            }
        }
        return services
    }

    public func resourcePatterns(ofAction action: String) -> [WildcardPattern]? {
        guard let id = self.action(named: action) else { return nil }
        var patterns = resourceTypes(of: id).map { CompiledResourceType($0.resourceType).pattern }
        // An instance profile stands for the role it holds (EC2 `iamInstanceProfile`, EMR `jobFlowRole`):
        // policy synthesis maps it to that role through the snapshot.
        if name(of: id) == "iam:PassRole" {
            patterns.append(WildcardPattern("arn:*:iam::*:instance-profile/*", caseInsensitive: false))
        }
        return patterns
    }
}
