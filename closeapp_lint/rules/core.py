"""The codes of the loader, suppressions and schema stage live in ``closeapp_lint.codes``
(a leaf the loader can use without the rules); importing this module registers them with
the rules."""

from .. import codes

__all__ = ["codes"]
