"""Codes of the opt-in ``--check-urls`` checks (netcheck.py). They need the network, so
they run only when asked; here they are declared with their docs like any rule.

Severity: ``publish`` for terms_of_service_url and privacy_policy_url (Close's reviewers
open them); the same codes are warnings for listing.product_url and redirect_url."""

from __future__ import annotations

from ..core.model import PUBLISH
from ..core.rulespec import FIELD, Docs, Rule, declare
from ._manifest import PUBLIC, manifest

_DEAD = manifest(PUBLIC, privacy_policy_url="https://tidewater.dev/legal/privacy-old")
_FINE = manifest(PUBLIC)
_HOW = "Run `closeapp-lint check --check-urls` before you submit the app for review."

RULES: tuple[Rule, ...] = (
    declare(
        "CA501",
        "url-unreachable",
        PUBLISH,
        "With --check-urls: a URL's host does not resolve, refuses the connection or times out.",
        Docs(
            what="Reports a legal page, product link or redirect host that cannot be reached: the name does not resolve, the connection is refused, or it does not answer within --url-timeout. "
            + _HOW,
            why="Close's reviewers open the legal pages of every app submitted to be made public; a dead link fails review days later.",
            example=manifest(PUBLIC, terms_of_service_url="https://legal.tidewater.invalid/terms"),
            use_instead=_FINE,
            fix="Publish the page (or fix the DNS record) and check again.",
        ),
        checklist=(FIELD,),
    ),
    declare(
        "CA502",
        "url-http-error",
        PUBLISH,
        "With --check-urls: a page answers with an HTTP error, or redirects too often.",
        Docs(
            what="Reports a legal page or product link whose final answer, after at most 5 redirects, is not a 2xx status. " + _HOW,
            why="A 404 or 500 on the privacy policy is what the reviewer sees.",
            example=_DEAD,
            use_instead=_FINE,
            fix="Link the page's current address.",
        ),
        checklist=(FIELD,),
    ),
    declare(
        "CA503",
        "url-tls-invalid",
        PUBLISH,
        "With --check-urls: a host's TLS certificate does not verify.",
        Docs(
            what="Reports an expired, self-signed or wrongly named certificate on a legal page, product link or the redirect host (verified against the system trust store, SSL_CERT_FILE and --ca-bundle). "
            + _HOW,
            why="Browsers refuse such pages; for the redirect URL, every user's authorization would fail.",
            example=manifest(PUBLIC, redirect_url="https://expired.tidewater.dev/oauth/close/callback"),
            use_instead=_FINE,
            fix="Renew the certificate or fix its host names.",
        ),
        checklist=(FIELD,),
    ),
    declare(
        "CA504",
        "url-redirect-downgrade",
        PUBLISH,
        "With --check-urls: a page redirects to plain http://.",
        Docs(
            what="Reports a legal page or product link whose redirect chain leaves https:// at any hop. " + _HOW,
            why="A secure link that lands on an insecure page is still insecure.",
            example=manifest(PUBLIC, terms_of_service_url="https://tidewater.dev/terms-that-redirect-to-http"),
            use_instead=_FINE,
            fix="Serve every hop over https://, or link the final https:// address directly.",
        ),
        checklist=(FIELD,),
    ),
    declare(
        "CA505",
        "url-private-address",
        PUBLISH,
        "With --check-urls: a URL's host resolves to a non-public address.",
        Docs(
            what="Reports a host name that resolves to a loopback, private, link-local or otherwise non-public address; closeapp-lint refuses to connect (so a manifest cannot aim it at your internal network) unless --allow-private-urls. "
            + _HOW,
            why="Close's reviewers and your users are on the public internet: such an address is unreachable for them.",
            example=manifest(PUBLIC, terms_of_service_url="https://intranet-docs.tidewater.dev/terms"),
            use_instead=_FINE,
            fix="Publish the page on a public host.",
        ),
        checklist=(FIELD,),
    ),
)


BY_CODE = {r.code: r for r in RULES}
