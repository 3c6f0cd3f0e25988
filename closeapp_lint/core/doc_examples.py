"""Builds the example manifests used in rule docs (and checked by the registry test)."""

from __future__ import annotations

PRIVATE = {
    "manifest_version": "1",
    "name": "Tidewater Deal Desk",
    "description": "Turns won Close opportunities into Tidewater invoices.",
    "redirect_url": "https://app.tidewater.dev/oauth/close/callback",
}
PUBLIC = {
    **PRIVATE,
    "terms_of_service_url": "https://tidewater.dev/legal/terms",
    "privacy_policy_url": "https://tidewater.dev/legal/privacy",
    "visibility": "public",
}


def manifest(base: dict[str, str] | None = None, *, drop: tuple[str, ...] = (), extra: str = "", **fields: str) -> str:
    """A manifest: ``base`` (the private app) with ``fields`` replaced, ``drop`` removed
    and ``extra`` (raw YAML lines) appended. Values are written verbatim."""
    merged = {**(base or PRIVATE), **fields}
    lines = [f"{key}: {value}" for key, value in merged.items() if key not in drop]
    return "\n".join(lines) + "\n" + extra
