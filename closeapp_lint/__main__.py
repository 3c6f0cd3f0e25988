"""``python -m closeapp_lint``."""

from .entry import run

run()
