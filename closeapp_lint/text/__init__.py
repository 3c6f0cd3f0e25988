"""Pure text analysis, with no knowledge of a manifest's files: sentences (CA211's
counter), deceptive Unicode and its tables, URLs and hosts, credential detection and
masking. It imports nothing of the package but ``core`` (an import-linter contract)."""
