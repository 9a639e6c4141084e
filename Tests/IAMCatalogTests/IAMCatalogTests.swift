// IAMCatalogTests
