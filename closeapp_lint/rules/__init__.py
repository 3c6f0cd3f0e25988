"""Rule modules; importing this package registers every rule."""

from . import core, listing, scopes, secrets, text, urls

__all__ = ["core", "listing", "scopes", "secrets", "text", "urls"]
