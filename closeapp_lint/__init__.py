"""closeapp-lint: lint Close OAuth app manifests and check they are ready to publish."""

__version__ = "0.3.0"  # the one place: the build (hatch) and every report read it

# PyYAML's pure-Python reader compiles, as `import yaml` runs, a pattern of every character
# YAML allows (57 M CPU instructions, about 10 ms: a fifth of a one-file run). libyaml's
# loader, the one used here when present, never asks for it: while this package imports
# yaml for the first time, that one pattern is made to compile on first use instead (the
# pure-Python reader still gets it, and compiles it when it first checks a text).
_NON_PRINTABLE = "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"  # yaml.reader's, as written there


def _import_yaml() -> None:
    import gc
    import sys

    if "yaml" in sys.modules:
        return
    collecting = gc.isenabled()
    gc.disable()  # what an import makes lives as long as the module (entry.run says more)
    try:
        import re

        from .core.patterns import lazy

        compile_ = re.compile

        def deferring(pattern: str, flags: int = 0) -> re.Pattern[str]:
            return lazy(pattern, flags) if pattern == _NON_PRINTABLE else compile_(pattern, flags)

        re.compile = deferring  # type: ignore[assignment]  # only while yaml is imported
        try:
            import yaml  # noqa: F401 - imported here, once, for what it compiles
        finally:
            re.compile = compile_
    finally:
        if collecting:
            gc.enable()


_import_yaml()
