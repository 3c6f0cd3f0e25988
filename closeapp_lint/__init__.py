"""closeapp-lint: lint Close OAuth app manifests and check they are ready to publish."""

__version__ = "0.1.0"

# Where SARIF consumers link the tool's name.
HOMEPAGE = "https://github.com/closeapp-lint/closeapp-lint"
