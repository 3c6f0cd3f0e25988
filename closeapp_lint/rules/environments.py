"""Rules across the manifests of one repository (SPEC §11): one Close app per
environment, so no two manifests share a client ID or a callback, two public apps are
not named alike, and only production is public.

They need the other manifests, so they are not checks on one document: the pipeline
scans the repository once per run (:class:`Siblings`, only the few keys these rules read)
and :func:`across` judges each linted manifest against it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..core.document import Document
from ..core.manifest import ENVIRONMENTS, PRODUCTION, REDIRECT
from ..core.model import ERROR, WARNING, Finding
from ..core.records import NamedTuple
from ..core.rulespec import FIELD, Docs, Rule, declare
from ..text.urls import host_of
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
    # No checklist item (SPEC §5 lists none for it): it is about the repository's other
    # manifests, not about what Close sees of this app; check, applied and plan fail on it.
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

    path: str  # as shown (relative to the working directory): tells a manifest from itself
    client_id: str | None
    redirect_url: str | None
    name: str | None  # normalized, public apps only
    environment: str | None
    host: str | None


def _text(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None


def _host(url: str | None) -> str | None:
    return (host_of(url).rstrip(".") or None) if url is not None else None


_record = tuple.__new__  # a Sibling made in C: the scan makes one for every manifest of the repository


def sibling(path: str, data: dict[str, Any]) -> Sibling:
    get = data.get
    redirect = _text(get("redirect_url"))
    environment = get("environment")
    if not isinstance(environment, str) or environment not in ENVIRONMENTS:
        environment = None  # another value is CA104, nothing more
    name = _text(get("name")) if get("visibility") == "public" else None
    return _record(
        Sibling,
        (
            path,
            _text(get("client_id")),
            redirect,
            " ".join(name.casefold().split()) if name is not None else None,  # compared between public apps only
            environment,
            _host(redirect) if environment is not None else None,  # only compared between environments
        ),
    )


class Siblings:
    """Every manifest of the repository, indexed by the values the rules compare. Each
    lookup is a dictionary access and each message is made once per shared value, so n
    manifests cost n, not n², however many of them share one value."""

    def __init__(self) -> None:
        # value -> the path of the one manifest with it, or the paths of several (a list
        # only when shared: 100,000 manifests cost their paths and values, little more)
        self.by_client: dict[str, str | list[str]] = {}
        self.by_redirect: dict[str, str | list[str]] = {}
        self.by_name: dict[str, str | list[str]] = {}
        # host -> production or not -> redirect URL -> (path, environment) of the manifests using it
        self.by_host: dict[str, dict[bool, dict[str, list[tuple[str, str]]]]] = {}
        self.host_totals: dict[tuple[str, bool], int] = {}  # manifests per (host, side)
        self._told: dict[tuple[int, str], tuple[frozenset[str], str]] = {}  # shared value -> (its manifests, their message)

    def add(self, s: Sibling) -> None:
        for index, key in ((self.by_client, s.client_id), (self.by_redirect, s.redirect_url), (self.by_name, s.name)):
            if key is None:
                continue
            before = index.get(key)
            if before is None:
                index[key] = s.path
            elif isinstance(before, str):
                index[key] = [before, s.path]
            else:
                before.append(s.path)
        if s.host is not None and s.environment is not None and s.redirect_url is not None:
            side = s.environment == PRODUCTION
            self.by_host.setdefault(s.host, {}).setdefault(side, {}).setdefault(s.redirect_url, []).append((s.path, s.environment))
            self.host_totals[s.host, side] = self.host_totals.get((s.host, side), 0) + 1

    def sharing(self, index: dict[str, str | list[str]], key: str | None, me: str) -> str | None:
        """The manifests sharing ``key`` with ``me``, named in one order whichever of them
        asks (so a value set in a base is reported there once); None when none does."""
        if key is None:
            return None
        found = index.get(key)
        if found is None or found == me:
            return None
        paths = [found] if isinstance(found, str) else found
        told = (id(index), key)
        known = self._told.get(told)
        if known is None:
            members = frozenset(paths)
            known = self._told[told] = (members, _listed(sorted(members)))
        members, listed = known
        if me in members:
            return listed
        return _listed(sorted({me, *members}))  # a manifest the scan did not see (an editor's new file)


_NAMED = 3  # manifests named in a message, then a count


def _listed(paths: list[str]) -> str:
    if len(paths) > _NAMED:
        return f"{', '.join(paths[:_NAMED])} and {len(paths) - _NAMED} more"
    return f"{', '.join(paths[:-1])} and {paths[-1]}"


def across(doc: Document, path: str, siblings: Siblings) -> Iterator[Finding]:
    """CA421–CA424 for the manifest at ``path`` (``doc`` merged with its bases)."""
    for rule, pointer, message in breaks(sibling(path, doc.data), doc.data.get("visibility"), siblings):
        yield at(doc, rule, pointer, message)


def breaks(me: Sibling, visibility: object, siblings: Siblings) -> list[tuple[Rule, str, str]]:
    """(rule, pointer, message) of each of CA421–CA424 that ``me`` breaks among
    ``siblings`` — from the compared keys alone, so that a run can ask it of a manifest
    it no longer holds (an empty list for nearly every manifest)."""
    found: list[tuple[Rule, str, str]] = []
    path = me.path
    if (shared := siblings.sharing(siblings.by_client, me.client_id, path)) is not None:
        message = f"client_id is shared by {shared}; each environment is its own app in Close — copy each app's own Client ID from its page"
        found.append((duplicate_client_id, "/client_id", message))
    if (shared := siblings.sharing(siblings.by_redirect, me.redirect_url, path)) is not None:
        found.append((shared_redirect_url, REDIRECT, f"redirect_url is shared by {shared}; give each environment's app its own callback"))
    if (shared := siblings.sharing(siblings.by_name, me.name, path)) is not None:
        found.append((duplicate_public_name, "/name", f"name is the name of the public apps {shared}; users cannot tell them apart"))
    if me.environment is not None:
        found.extend(_environment(me, visibility, siblings))
    return found


def _environment(me: Sibling, visibility: object, siblings: Siblings) -> Iterator[tuple[Rule, str, str]]:
    if me.environment != PRODUCTION and visibility == "public":
        yield (
            environment_mismatch,
            "/visibility",
            f"a {me.environment} app is public; only the production app should be submitted for publication — make this one private",
        )
    if me.host is None or me.redirect_url is None:
        return
    # The other side (production, or not) on this host, at another URL (the same URL is CA422).
    other_side = siblings.by_host.get(me.host, {}).get(me.environment != PRODUCTION, {})
    count = siblings.host_totals.get((me.host, me.environment != PRODUCTION), 0) - len(other_side.get(me.redirect_url, ()))
    if count > 0:
        first, other = next(paths[0] for url, paths in other_side.items() if url != me.redirect_url)  # at most two steps
        named = first if count == 1 else f"{first} (and {count - 1} more)"
        message = (
            f"redirect_url's host {me.host[:100]} also serves the {other} app in {named}; production should not share a callback host with another environment"
        )
        yield environment_mismatch, REDIRECT, message
