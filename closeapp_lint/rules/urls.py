"""Redirect URL (CA201–CA203, CA205) and legal / product URL rules (CA301–CA306)."""

from __future__ import annotations

from collections.abc import Iterator

from ..core.document import Document, field_name
from ..core.edits import http_to_https
from ..core.manifest import LEGAL, PAGES, REDIRECT
from ..core.model import ERROR, PUBLISH, WARNING, Finding
from ..core.rulespec import FIELD, Docs, rule
from ..text.urls import analyze, close_site, same_url
from ._manifest import PUBLIC, manifest
from ._util import at, text_at

OTHER_URLS = PAGES  # every URL field but the redirect


def _use_https(url: str) -> str:
    """The suggestion for an http:// URL; none when it holds user info (never echo a password)."""
    if analyze(url, allow_fragment=True).malformed or len(url) > 200:
        return ""
    return " — use https://" + url.split("://", 1)[1]


@rule(
    "CA201",
    "redirect-not-https",
    ERROR,
    "The redirect URL is not https.",
    Docs(
        what="Reports a redirect_url whose scheme is not https (http://, or an app scheme such as myapp://).",
        why='Close accepts only TLS redirect URLs: "plain http:// URLs are not accepted". OAuth codes sent over plain http can be intercepted.',
        example=manifest(redirect_url="http://app.tidewater.dev/oauth/close/callback"),
        use_instead=manifest(),
        fix="Serve the callback over TLS and write https://. `closeapp-lint check --fix` rewrites http:// to https:// in place.",
    ),
    fix=http_to_https,
    checklist=(FIELD,),
)
def redirect_not_https(doc: Document) -> Iterator[Finding]:
    url = text_at(doc, REDIRECT)
    if url is None:
        return
    verdict = analyze(url)
    if verdict.scheme == "http":
        yield at(doc, redirect_not_https, REDIRECT, f"redirect_url uses http://; Close accepts only https:// redirect URLs{_use_https(url)}")
    elif verdict.scheme not in ("", "https"):
        yield at(doc, redirect_not_https, REDIRECT, f"redirect_url uses {verdict.scheme}://; Close accepts only https:// redirect URLs")


@rule(
    "CA202",
    "redirect-malformed",
    ERROR,
    "The redirect URL is not one well-formed absolute URL.",
    Docs(
        what="Reports a redirect_url that is relative, or has a fragment, user info, a wildcard, whitespace or an invalid host.",
        why="OAuth (RFC 6749 §3.1.2, RFC 9700 §2.1) requires an absolute redirect URI without a fragment, matched exactly — so wildcards and lists never work.",
        example=manifest(redirect_url="https://*.tidewater.dev/oauth/close/callback"),
        use_instead=manifest(),
        fix="Write exactly one absolute https:// URL with a real host name and no #fragment.",
    ),
    checklist=(FIELD,),
)
def redirect_malformed(doc: Document) -> Iterator[Finding]:
    url = text_at(doc, REDIRECT)
    if url is not None and (problem := analyze(url).malformed):
        yield at(doc, redirect_malformed, REDIRECT, f"redirect_url {problem}")


@rule(
    "CA203",
    "redirect-not-public",
    PUBLISH,
    "The redirect URL points at a host only you can reach.",
    Docs(
        what="Reports a redirect_url on localhost, a loopback, private or link-local IP (in any form a browser reads as one: 127.1, 0x7f000001, 2130706433), a reserved name (.local, .localhost, .localdomain, .test, .invalid, .example, .internal, example.com/.net/.org), a top-level domain only private networks use (.corp, .home, .mail, .lan, .intranet, .private), "
        "or a public name that answers with such an address by design (lvh.me, localtest.me; nip.io and sslip.io names holding a private address). "
        "An error for public apps; for private apps only the checklist shows it.",
        why="Users of a public app are sent to the redirect URL from their own browsers; a development host fails for every one of them.",
        example=manifest(PUBLIC, redirect_url="https://localhost:8443/oauth/close/callback"),
        use_instead=manifest(PUBLIC),
        fix="Use your production callback URL before you make the app public; keep a separate private app for development.",
    ),
    checklist=(FIELD,),
)
def redirect_not_public(doc: Document) -> Iterator[Finding]:
    url = text_at(doc, REDIRECT)
    if url is not None and (reason := analyze(url).not_public):
        yield at(doc, redirect_not_public, REDIRECT, f"redirect_url host {reason}; users of a public app cannot reach it")


def _may_name_close_site(doc: Document) -> bool:
    """A cheap prefilter in C: "close." or "Close." (or in capitals) anywhere in the file."""
    return doc.mentions("lose.") or doc.mentions("LOSE.")


@rule(
    "CA205",
    "redirect-to-close",
    ERROR,
    "The redirect URL points at Close itself.",
    Docs(
        what="Reports a redirect_url on Close's own site (close.com, close.io and names under them), such as Close's authorization or token endpoint pasted into the wrong field.",
        why="After a user authorizes the app, Close sends the authorization code to the redirect URL: it must be your app's own callback, or the app never receives the code.",
        example=manifest(redirect_url="https://app.close.com/oauth2/authorize/"),
        use_instead=manifest(),
        fix="Write the callback URL of your own app (where it exchanges the code at https://api.close.com/oauth2/token/).",
    ),
    checklist=(FIELD,),
)
def redirect_to_close(doc: Document) -> list[Finding]:  # a list, not a generator: most files stop at the prefilter
    url = text_at(doc, REDIRECT) if _may_name_close_site(doc) else None
    if url is None or not (host := close_site(url)):
        return []
    message = f"redirect_url is on {host}, Close's own site; it must be your app's callback, where Close sends users back with the authorization code"
    return [at(doc, redirect_to_close, REDIRECT, message)]


@rule(
    "CA301",
    "legal-url-missing",
    PUBLISH,
    "A terms of service or privacy policy URL is missing.",
    Docs(
        what="Reports terms_of_service_url and privacy_policy_url when absent, one finding each. An error for public apps; for private apps only the checklist shows it.",
        why='Both are "optional for internal-only apps" and required before Close reviews an app for publication.',
        example=manifest(PUBLIC, drop=("privacy_policy_url",)),
        use_instead=manifest(PUBLIC),
        fix="Publish the page and add its https:// URL.",
    ),
    checklist=(FIELD,),
)
def legal_url_missing(doc: Document) -> Iterator[Finding]:
    # Point at "visibility: public", the line that makes these URLs required.
    span = doc.key_span("/visibility") if "visibility" in doc.data else doc.first_key_span("")
    for pointer in LEGAL:
        if pointer[1:] not in doc.data:
            yield legal_url_missing.finding(f"{pointer[1:]} is missing; Close requires it before an app can be made public", span, pointer)


@rule(
    "CA302",
    "legal-url-insecure",
    PUBLISH,
    "A legal URL is not https.",
    Docs(
        what="Reports a terms_of_service_url or privacy_policy_url that uses http://. An error for public apps.",
        why="Close's reviewers and your users open these pages; browsers flag plain http pages as not secure.",
        example=manifest(PUBLIC, privacy_policy_url="http://tidewater.dev/legal/privacy"),
        use_instead=manifest(PUBLIC),
        fix="Serve the page over TLS and write https://. `closeapp-lint check --fix` rewrites http:// to https:// in place.",
    ),
    fix=http_to_https,
    checklist=(FIELD,),
)
def legal_url_insecure(doc: Document) -> Iterator[Finding]:
    for pointer in LEGAL:
        url = text_at(doc, pointer)
        if url is not None and analyze(url, allow_fragment=True).scheme == "http":
            yield at(doc, legal_url_insecure, pointer, f"{pointer[1:]} uses http://; Close's reviewers expect https://{_use_https(url)}")


@rule(
    "CA303",
    "url-malformed",
    ERROR,
    "A URL field other than the redirect is not a valid absolute http(s) URL.",
    Docs(
        what="Reports terms_of_service_url, privacy_policy_url and listing.product_url values that are not absolute http(s) URLs with a valid host.",
        why="Close stores and shows these links; a malformed one is a dead link on your app's page.",
        example=manifest(terms_of_service_url="tidewater.dev/legal/terms"),
        use_instead=manifest(terms_of_service_url="https://tidewater.dev/legal/terms"),
        fix="Write the full URL, starting with https://.",
    ),
    checklist=(FIELD,),
)
def url_malformed(doc: Document) -> Iterator[Finding]:
    for pointer in OTHER_URLS:
        url = text_at(doc, pointer)
        if url is None:
            continue
        verdict = analyze(url, allow_fragment=True)
        name = field_name(pointer)
        if verdict.malformed:
            yield at(doc, url_malformed, pointer, f"{name} {verdict.malformed}")
        elif verdict.scheme not in ("http", "https"):
            yield at(doc, url_malformed, pointer, f"{name} uses {verdict.scheme}://; it must be an https:// web page")


@rule(
    "CA304",
    "legal-url-not-public",
    PUBLISH,
    "A legal URL points at localhost, a private address or a reserved domain.",
    Docs(
        what="Reports terms_of_service_url and privacy_policy_url on hosts the public cannot reach (as CA203). An error for public apps.",
        why="Close's reviewers open both pages from the internet.",
        example=manifest(PUBLIC, terms_of_service_url="https://intranet.local/terms"),
        use_instead=manifest(PUBLIC),
        fix="Publish the pages on your public site and link there.",
    ),
    checklist=(FIELD,),
)
def legal_url_not_public(doc: Document) -> Iterator[Finding]:
    for pointer in LEGAL:
        url = text_at(doc, pointer)
        if url is not None and (reason := analyze(url, allow_fragment=True).not_public):
            yield at(doc, legal_url_not_public, pointer, f"{pointer[1:]} host {reason}; Close's reviewers cannot open it")


@rule(
    "CA305",
    "legal-urls-identical",
    WARNING,
    "The terms and privacy URLs are the same page.",
    Docs(
        what="Reports a privacy_policy_url equal to the terms_of_service_url (ignoring case of scheme and host and a trailing slash).",
        why="Reviewers expect two documents; one page for both is usually a copy-paste slip.",
        example=manifest(PUBLIC, privacy_policy_url="https://tidewater.dev/legal/terms"),
        use_instead=manifest(PUBLIC),
        fix="Link each field to its own page.",
    ),
    checklist=(FIELD,),
)
def legal_urls_identical(doc: Document) -> Iterator[Finding]:
    terms, privacy = (text_at(doc, p) for p in LEGAL)
    if terms and privacy and same_url(terms, privacy):
        yield at(doc, legal_urls_identical, LEGAL[1], "privacy_policy_url is the same page as terms_of_service_url; link each to its own document")


@rule(
    "CA306",
    "legal-url-is-close",
    PUBLISH,
    "A legal URL links Close's own terms or privacy policy.",
    Docs(
        what="Reports a terms_of_service_url or privacy_policy_url on Close's own site (close.com, close.io). An error for public apps; for private apps only the checklist shows it.",
        why="Users agree to your app's terms and your handling of their data; Close's own pages say nothing about either, and Close's reviewers ask for your own.",
        example=manifest(PUBLIC, terms_of_service_url="https://close.com/terms"),
        use_instead=manifest(PUBLIC),
        fix="Publish your own terms of service and privacy policy and link them.",
    ),
    checklist=(FIELD,),
)
def legal_url_is_close(doc: Document) -> list[Finding]:  # a list, not a generator: most files stop at the prefilter
    if not _may_name_close_site(doc):
        return []
    found = []
    for pointer in LEGAL:
        url = text_at(doc, pointer)
        if url is not None and (host := close_site(url)):
            found.append(at(doc, legal_url_is_close, pointer, f"{pointer[1:]} is on {host}, Close's own site; link your app's own {_DOCUMENT[pointer]}"))
    return found


_DOCUMENT = {LEGAL[0]: "terms of service", LEGAL[1]: "privacy policy"}
