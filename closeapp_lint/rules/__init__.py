"""Rule modules; importing this package registers every rule."""

from . import core, listing, network, scopes, secrets, text, urls

__all__ = ["core", "listing", "network", "scopes", "secrets", "text", "urls"]
