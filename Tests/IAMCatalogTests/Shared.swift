import Foundation
import IAMCatalog
import TestSupport

/// The bundled catalog, loaded once for all tests.
let bundledCatalog = TestCatalog.shared
