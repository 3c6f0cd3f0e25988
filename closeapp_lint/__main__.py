"""``python -m closeapp_lint``."""

from .cli import run

run()
