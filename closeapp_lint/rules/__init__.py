"""Rule modules, and the one list of the rules they define (the registry reads it)."""

from __future__ import annotations

from ..rulespec import Rule
from . import deceptive, listing, network, scopes, secrets, text, urls

RULES: tuple[Rule, ...] = (
    deceptive.bidi_control,
    urls.redirect_not_https,
    urls.redirect_malformed,
    urls.redirect_not_public,
    deceptive.deceptive_url,
    text.description_sentences,
    text.placeholder_text,
    text.name_implies_official,
    deceptive.deceptive_text,
    urls.legal_url_missing,
    urls.legal_url_insecure,
    urls.url_malformed,
    urls.legal_url_not_public,
    urls.legal_urls_identical,
    listing.listing_requires_public,
    listing.listing_incomplete,
    scopes.unsupported_scope,
    scopes.partial_scopes,
    secrets.secret_in_manifest,
    secrets.client_id_format,
    *network.RULES,
)
