"""The road a run takes: ``pipeline`` (inputs in order to reports), ``app`` (one manifest
linted as the app it is: its chain, siblings and record; a base through its apps),
``workers`` and ``helpers`` (forked helper processes, reports held until the repository
is known), ``fixing`` (--fix then judge, --diff) and ``netcheck`` (--check-urls only). It
imports ``reporters`` (types only), ``judge``, ``load``, ``rules``, ``text`` and ``core``."""
