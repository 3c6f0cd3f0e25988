"""Integrations Directory listing rules (CA311–CA313)."""

from __future__ import annotations

from collections.abc import Iterator

from ..core.document import Document
from ..core.model import ERROR, PUBLISH, Finding
from ..core.rulespec import FIELD, Docs, rule
from ..text.urls import analyze
from ._manifest import PUBLIC, manifest
from ._util import at, is_public, text_at

LISTING = """listing:
  product_url: https://tidewater.dev
  summary: Creates an invoice in Tidewater whenever a Close opportunity is won.
"""
CLIENT_ID = "oa2client_0123456789abcdefABCDEF"
PRODUCT_URL = "/listing/product_url"


@rule(
    "CA311",
    "listing-requires-public",
    ERROR,
    "A listing is requested for a private app.",
    Docs(
        what="Reports a `listing` section while visibility is private (the default).",
        why="Close lists only public OAuth apps in its Integrations Directory.",
        example=manifest(client_id=CLIENT_ID, extra=LISTING),
        use_instead=manifest(PUBLIC, client_id=CLIENT_ID, extra=LISTING),
        fix="Set `visibility: public` (and meet the publication rules), or remove `listing` until you are ready.",
    ),
    checklist=(FIELD,),
)
def listing_requires_public(doc: Document) -> Iterator[Finding]:
    if "listing" in doc.data and not is_public(doc):
        yield at(
            doc,
            listing_requires_public,
            "/listing",
            key=True,
            message="listing is present but the app is private; Close lists only public apps — set visibility: public or remove listing",
        )


@rule(
    "CA312",
    "listing-incomplete",
    ERROR,
    "A listing lacks product_url or summary, or the app lacks client_id.",
    Docs(
        what="Reports a listing without product_url or summary, and a listing in a manifest without client_id.",
        why="Close's listing request needs the product link, a short explanation and the app's Client ID.",
        example=manifest(PUBLIC, extra=LISTING),
        use_instead=manifest(PUBLIC, client_id=CLIENT_ID, extra=LISTING),
        fix="Add the missing field; client_id is shown in Close after the app is created.",
    ),
    checklist=(FIELD,),
)
def listing_incomplete(doc: Document) -> Iterator[Finding]:
    # A missing product_url or summary is reported as CA312 by the schema stage.
    if isinstance(doc.data.get("listing"), dict) and "client_id" not in doc.data:
        yield at(
            doc, listing_incomplete, "/listing", key=True, message="listing needs the app's client_id; add client_id: (shown in Close after the app is created)"
        )


@rule(
    "CA313",
    "listing-url-not-public",
    PUBLISH,
    "The listing's product URL points at localhost, a private address or a reserved domain.",
    Docs(
        what="Reports a listing.product_url on a host the public cannot reach (as CA203: localhost, loopback, private or link-local addresses, reserved and private-use names). An error for public apps.",
        why="The Integrations Directory links every visitor to the product URL, and Close's reviewers open it from the internet.",
        example=manifest(PUBLIC, client_id=CLIENT_ID, extra=LISTING.replace("https://tidewater.dev", "https://localhost:3000")),
        use_instead=manifest(PUBLIC, client_id=CLIENT_ID, extra=LISTING),
        fix="Link your product's public page.",
    ),
    checklist=(FIELD,),
)
def listing_url_not_public(doc: Document) -> list[Finding]:  # a list, not a generator: most files have no listing
    url = text_at(doc, PRODUCT_URL) if "listing" in doc.data else None
    if url is None or not (reason := analyze(url, allow_fragment=True).not_public):
        return []
    return [at(doc, listing_url_not_public, PRODUCT_URL, f"listing.product_url host {reason}; visitors of the Integrations Directory cannot open it")]
