import IAMCatalog

extension ActionCatalog: EventResolving {
    public func resourceServices(ofAction action: String) -> [String] {
        guard let id = self.action(named: action) else { return [] }
        let own = prefix(of: id)
        var services: [String] = []
        for type in resourceTypes(of: id) {
            // `arn:${Partition}:iam::${Account}:role/…`: the third field.
            let fields = type.resourceType.arnTemplate.split(
                separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
            guard fields.count > 2 else { continue }
            let service = String(fields[2])
            if service != own, !service.isEmpty, !service.contains("$"), !services.contains(service) {
                services.append(service)
            }
        }
        return services
    }
}
