"""Rules across the manifests of one repository (SPEC §11): one Close app per
environment, so no two manifests share a client ID or a callback, two public apps are
not named alike, and only production is public.

They need the other manifests, so they are not checks on one document: the pipeline
scans the repository once per run (:class:`Siblings`, only the few keys these rules read)
and :func:`across` judges each linted manifest against it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from ..document import Document
from ..manifest import PRODUCTION, REDIRECT
from ..model import ERROR, WARNING, Finding
from ..rulespec import FIELD, Docs, declare
from ._manifest import PUBLIC, manifest
from ._util import at

_OTHER = "# staging.closeapp.yaml in the same repository says the same\n"

duplicate_client_id = declare(
    "CA421",
    "duplicate-client-id",
    ERROR,
    "Two manifests of one repository share a client_id.",
    Docs(
        what="Reports a manifest whose client_id is also the client_id of another manifest under the repository root (every manifest is read, not only those linted).",
        why="Each environment is its own app in Close with its own client ID; a copied client_id means a manifest describes an app that is not the one it names, "
        "and the applied record and plan compare it with the wrong app.",
        example=manifest(client_id="oa2client_4f8Kq2LmNp7RsT9vWxYz1A", extra=_OTHER),
        use_instead=manifest(client_id="oa2client_4f8Kq2LmNp7RsT9vWxYz1A", extra="# staging.closeapp.yaml has its own client_id\n"),
        fix="Copy each app's own Client ID from its page in Close into its manifest.",
    ),
    checklist=("schema",),
)

shared_redirect_url = declare(
    "CA422",
    "shared-redirect-url",
    WARNING,
    "Two manifests of one repository share a redirect_url.",
    Docs(
        what="Reports a manifest whose redirect_url is exactly the redirect_url of another manifest under the repository root.",
        why="Close's form takes one Redirect URL per app, and each environment runs its own app: two apps sending their authorization codes to one callback "
        "means staging logins land in production (or the other way round).",
        example=manifest(extra=_OTHER),
        use_instead=manifest(extra="# staging.closeapp.yaml uses https://staging.tidewater.dev/oauth/close/callback\n"),
        fix="Give each environment's app its own callback URL.",
    ),
    checklist=(FIELD,),
)

duplicate_public_name = declare(
    "CA423",
    "duplicate-public-name",
    WARNING,
    "Two public apps of one repository have the same name.",
    Docs(
        what="Reports a public manifest whose name is, ignoring case and spacing, the name of another public manifest under the repository root.",
        why="The name is what users see on the consent screen and in the Integrations Directory; two public apps with one name cannot be told apart.",
        example=manifest(PUBLIC, extra="# eu.closeapp.yaml is public and named Tidewater Deal Desk too\n"),
        use_instead=manifest(PUBLIC, extra="# eu.closeapp.yaml is public and named Tidewater Deal Desk EU\n"),
        fix="Publish one app per product, or give each a name that says which one it is.",
    ),
    checklist=(FIELD,),
)

environment_mismatch = declare(
    "CA424",
    "environment-mismatch",
    WARNING,
    "A public app that is not production, or production sharing a redirect host with another environment.",
    Docs(
        what="With the optional `environment: development | staging | production`: reports a public manifest whose environment is not production, "
        "and a production manifest whose redirect URL's host is also the redirect host of a development or staging manifest (either side is reported).",
        why="Only the production app should be submitted to Close for publication; and a callback host shared with a test environment serves "
        "production users' authorization codes to code that is not production's.",
        example=manifest(PUBLIC, extra="environment: staging\n"),
        use_instead=manifest(PUBLIC, extra="environment: production\n"),
        fix="Keep development and staging apps private, and give production its own callback host.",
    ),
    checklist=(FIELD,),
)


class Sibling(NamedTuple):
    """What the cross-manifest rules read of one manifest (merged with its bases)."""

    path: str  # as shown
    real: str  # where it really is (to tell a manifest from itself)
    client_id: str | None
    redirect_url: str | None
    name: str | None  # normalized, public apps only
    environment: str | None
    host: str | None


def _text(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value.strip() if isinstance(value, str) and value.strip() else None


def _host(url: str | None) -> str | None:
    if url is None:
        return None
    try:
        return (urlsplit(url).hostname or "").rstrip(".") or None
    except ValueError:
        return None


def sibling(path: str, data: dict[str, Any]) -> Sibling:
    public = data.get("visibility") == "public"
    name = _text(data, "name")
    redirect = _text(data, "redirect_url")
    environment = data.get("environment") if isinstance(data.get("environment"), str) else None
    return Sibling(
        path,
        os.path.realpath(path),
        _text(data, "client_id"),
        redirect,
        " ".join(name.casefold().split()) if name and public else None,
        environment,
        _host(redirect),
    )


class Siblings:
    """Every manifest of the repository, indexed by the values the rules compare: each
    lookup is a dictionary access, so n manifests cost n, not n²."""

    def __init__(self, found: list[Sibling]) -> None:
        self.count = len(found)
        self.by_client: dict[str, list[Sibling]] = {}
        self.by_redirect: dict[str, list[Sibling]] = {}
        self.by_name: dict[str, list[Sibling]] = {}
        self.by_host: dict[str, list[Sibling]] = {}
        for s in found:
            for index, key in ((self.by_client, s.client_id), (self.by_redirect, s.redirect_url), (self.by_name, s.name)):
                if key is not None:
                    index.setdefault(key, []).append(s)
            if s.host is not None and s.environment is not None:
                self.by_host.setdefault(s.host, []).append(s)


def _others(found: list[Sibling] | None, me: Sibling) -> list[Sibling]:
    return [s for s in found or () if s.real != me.real]


_NAMED = 3  # manifests named in a message, then a count


def _named(others: list[Sibling]) -> str:
    first = others[0].path
    return first if len(others) == 1 else f"{first} (and {len(others) - 1} more)"


def _sharing(me: Sibling, others: list[Sibling]) -> str:
    """Every manifest sharing a value, this one included, in one order: the message is
    the same from each side (so a value set in a base is reported there once)."""
    paths = sorted({me.path, *(s.path for s in others)})
    if len(paths) > _NAMED:
        return f"{', '.join(paths[:_NAMED])} and {len(paths) - _NAMED} more"
    return f"{', '.join(paths[:-1])} and {paths[-1]}"


def across(doc: Document, path: str, siblings: Siblings) -> Iterator[Finding]:
    """CA421–CA424 for the manifest at ``path`` (``doc`` merged with its bases)."""
    me = sibling(path, doc.data)
    if me.client_id is not None and (others := _others(siblings.by_client.get(me.client_id), me)):
        yield at(
            doc,
            duplicate_client_id,
            "/client_id",
            f"client_id is shared by {_sharing(me, others)}; each environment is its own app in Close — copy each app's own Client ID from its page",
        )
    if me.redirect_url is not None and (others := _others(siblings.by_redirect.get(me.redirect_url), me)):
        yield at(
            doc,
            shared_redirect_url,
            REDIRECT,
            f"redirect_url is shared by {_sharing(me, others)}; give each environment's app its own callback",
        )
    if me.name is not None and (others := _others(siblings.by_name.get(me.name), me)):
        yield at(doc, duplicate_public_name, "/name", f"name is the name of the public apps {_sharing(me, others)}; users cannot tell them apart")
    yield from _environment(doc, me, siblings)


def _environment(doc: Document, me: Sibling, siblings: Siblings) -> Iterator[Finding]:
    if me.environment is None:
        return
    if me.environment != PRODUCTION and doc.data.get("visibility") == "public":
        yield at(
            doc,
            environment_mismatch,
            "/visibility",
            f"a {me.environment} app is public; only the production app should be submitted for publication — make this one private",
        )
    if me.host is None:
        return
    shared = [
        s
        for s in _others(siblings.by_host.get(me.host), me)
        if (s.environment == PRODUCTION) != (me.environment == PRODUCTION) and s.redirect_url != me.redirect_url  # the same URL is CA422
    ]
    if shared:
        other = shared[0].environment
        yield at(
            doc,
            environment_mismatch,
            REDIRECT,
            f"redirect_url's host {me.host[:100]} also serves the {other} app in {_named(shared)}; production should not share a callback host with another environment",
        )
