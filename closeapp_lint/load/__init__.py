"""From bytes to documents and apps: the loader (``source``), files and the root
boundary (``files``: reads that never leave the root, atomic writes through the folder
opened once), the configuration (``config``), ``extends`` chains (``extends``) and the
repository a run lints in — its roots, bases read once, the sibling scan (``project``).
It imports ``rules`` (the registry validates selectors; the scan reads the compared keys),
``text`` and ``core``."""
