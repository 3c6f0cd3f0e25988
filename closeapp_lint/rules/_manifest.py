"""The example manifests of rule docs live in ``closeapp_lint.manifest_examples``."""

from ..core.doc_examples import PRIVATE, PUBLIC, manifest

__all__ = ["PRIVATE", "PUBLIC", "manifest"]
