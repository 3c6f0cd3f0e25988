"""closeapp-lint: lint Close OAuth app manifests and check they are ready to publish."""

__version__ = "0.1.0"
