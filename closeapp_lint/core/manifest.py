"""What a manifest's fields are, for every stage that reads them: the URL fields (one
table for the rules, --check-urls and the checklist), typed reads and visibility.
A leaf below the engine, the rules and netcheck: it imports only ``source``."""

from __future__ import annotations

from .document import Document

REDIRECT = "/redirect_url"
TERMS = "/terms_of_service_url"
PRIVACY = "/privacy_policy_url"
PRODUCT = "/listing/product_url"
LEGAL = (TERMS, PRIVACY)
PAGES = (*LEGAL, PRODUCT)  # URLs of pages people open (--check-urls fetches them)
URL_FIELDS = (REDIRECT, *PAGES)
SCOPES = ("all.full_access", "offline_access")  # what Close grants every OAuth app, and all that exists
TEXT_FIELDS = ("/name", "/description", "/listing/summary")  # the words users see
# Text rules read at most this much of a field: the schema already reports anything
# longer than a few hundred characters, and hostile 50 MB values must stay cheap.
MAX_TEXT = 10_000
MAX_EXTENDS = 8  # bases in one chain (SPEC §11)
ENVIRONMENTS = ("development", "staging", "production")  # the optional environment: field
PRODUCTION = "production"
STAYS_PRIVATE = ("development", "staging")  # environments whose app is never published (SPEC §5, round 4)
# What the sibling scan reads of every manifest of the repository (SPEC §11).
CROSS_FIELDS = ("client_id", "redirect_url", "name", "visibility", "environment")
CLIENT_ID = r"oa2client_[A-Za-z0-9]{22}"  # the shape of the Client ID Close shows (a public identifier)
# Close's OAuth app form (Settings → Developer → OAuth Apps), in its order: (the label the
# form shows, the manifest's field). The publication packet and the plan use these words.
FORM = (
    ("App Name", "/name"),
    ("App Description", "/description"),
    ("Redirect URL", REDIRECT),
    ("Terms of Service URL", TERMS),
    ("Privacy Policy URL", PRIVACY),
)
WHERE_IN_CLOSE = "Settings → Developer → OAuth Apps"
# The fields of an applied record (SPEC §10) a person applies in Close (``applied --only``).
APPLIABLE = ("name", "description", "redirect_url", "terms_of_service_url", "privacy_policy_url", "status", "listing_requested")
# --check-urls: seconds per request and for the whole run (the CLI's defaults)
URL_TIMEOUT = 5.0
URL_BUDGET = 60.0


def text_at(doc: Document, pointer: str) -> str | None:
    """The string at ``pointer``, or None when it is absent or not a string."""
    value = doc.value_at(pointer)
    return value if isinstance(value, str) else None


def is_public(doc: Document) -> bool:
    """Whether the manifest says ``visibility: public`` (the publication rules apply)."""
    return doc.data.get("visibility") == "public"
