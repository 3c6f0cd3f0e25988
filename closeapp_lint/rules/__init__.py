"""Rule modules; importing this package registers every rule."""

from . import core, deceptive, listing, network, scopes, secrets, text, urls

__all__ = ["core", "deceptive", "listing", "network", "scopes", "secrets", "text", "urls"]
