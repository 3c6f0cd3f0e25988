"""The example manifests of rule docs live in ``closeapp_lint.manifest_examples``."""

from ..manifest_examples import PRIVATE, PUBLIC, manifest

__all__ = ["PRIVATE", "PUBLIC", "manifest"]
