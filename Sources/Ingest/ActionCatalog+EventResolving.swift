import IAMCatalog

extension ActionCatalog: EventResolving {}
