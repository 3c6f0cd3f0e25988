"""Judging one app: the schema (with its compiled fast path), suppressions, the engine —
one verdict, one masker per app — the publish-readiness checklist, the applied record's
reader and checks, and the byte-preserving fixes. Pure: no I/O beyond what ``load`` hands
in. It imports ``load``, ``rules``, ``text`` and ``core``."""
