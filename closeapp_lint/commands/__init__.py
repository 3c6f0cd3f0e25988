"""The command line and the commands that are more than a report: ``cli`` (click flags,
one frozen value, the pipeline, writers, exit codes), ``start`` (the console script's fast
start), ``plan`` and ``applied``, ``publish`` (publish-request), ``resolve`` and
``starter`` (init). The top layer: it may import every other package, the language server
only on first use (the ``lsp`` extra)."""
