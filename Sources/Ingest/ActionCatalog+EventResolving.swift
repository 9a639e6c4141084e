import IAMCatalog

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
}
