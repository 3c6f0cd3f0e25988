"""Regular expressions compiled on first use, not at import: a one-file pre-commit run
pays only for the patterns its manifest needs (a valid ASCII manifest needs few of the
credential, Unicode and suppression patterns behind their cheap substring guards)."""

from __future__ import annotations

import re
from typing import Any, cast


class _Lazy:
    """Stands in for a compiled pattern; compiles at the first attribute asked for, then
    keeps the compiled pattern's methods as its own (later calls cost a plain lookup)."""

    def __init__(self, pattern: str, flags: int) -> None:
        self._source = (pattern, flags)

    def __getattr__(self, name: str) -> Any:
        compiled = re.compile(*self._source)
        for attribute in ("search", "match", "fullmatch", "finditer", "findall", "sub", "split", "pattern", "groupindex", "flags", "groups"):
            setattr(self, attribute, getattr(compiled, attribute))
        return getattr(compiled, name)


def lazy(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, compiled when first used."""
    return cast("re.Pattern[str]", _Lazy(pattern, flags))
