// IAMCatalog: The bundled AWS action catalog and CloudTrail event → action resolution.
