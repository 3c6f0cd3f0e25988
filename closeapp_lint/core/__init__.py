"""The records everything shares — the bottom layer: findings, spans and reports
(``model``), a loaded document with its pointer index (``document``), the codes the loader
and the schema report and the rule declaration (``codes``, ``rulespec``), the manifest's
fields and facts (``manifest``), escaping of everything printed (``escape``), the record
base class (``records``), patterns compiled on first use (``patterns``), byte-level edits
(``edits``), the rules' documentation URLs (``rule_urls``) and the example manifests of
their docs (``doc_examples``). It imports nothing of the package outside ``core``."""
