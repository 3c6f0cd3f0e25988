"""``python -m closeapp_lint``."""

from .commands.start import run

run()
