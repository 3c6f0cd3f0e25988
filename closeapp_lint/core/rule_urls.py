"""Where the project lives, from one setting: ``[project.urls]`` in pyproject.toml, read
back from the installed package's metadata. SARIF's ``informationUri`` and ``helpUri``
(and an editor's rule links) come from here; nothing else spells the address."""

from __future__ import annotations

import re
from functools import cache

RULES_PAGE = "docs/rules.md"  # in the repository; written by `closeapp-lint rules --format markdown`


@cache
def project_urls() -> dict[str, str]:
    """``[project.urls]`` by lower-case label; empty when the package is not installed."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        entries = metadata("closeapp-lint").get_all("Project-URL") or []
    except PackageNotFoundError:
        return {}
    urls = {}
    for entry in entries:
        label, _, url = entry.partition(",")
        urls[label.strip().lower()] = url.strip()
    return urls


def repository() -> str | None:
    return project_urls().get("repository")


def anchor(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading: lower case, punctuation dropped
    (hyphens and underscores kept), spaces become hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def rule_heading(code: str, slug: str) -> str:
    return f"{code} {slug}"


def rule_url(code: str, slug: str, version: str) -> str | None:
    """The rule's section of the rules page, as released with ``version`` (its tag)."""
    repo = repository()
    if repo is None:
        return None
    return f"{repo}/blob/v{version}/{RULES_PAGE}#{anchor(rule_heading(code, slug))}"
