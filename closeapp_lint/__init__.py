"""closeapp-lint: lint Close OAuth app manifests and check they are ready to publish."""

__version__ = "0.2.0"  # the one place: the build (hatch) and every report read it
