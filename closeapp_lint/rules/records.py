"""Codes about the applied record (SPEC §10): the repository's own note of what a person
last applied in Close, ``STEM.applied.json`` beside each manifest. They are found by
``applied.py`` (they need the record file beside the manifest, so they are not checks on
one document); here they are declared with their docs like any rule.

CA601 is not in the default rule set: drift is expected between a merge and its apply,
and ``closeapp-lint plan --exit-code`` on the default branch is the gate."""

from __future__ import annotations

from ..core.model import ERROR, INFO, WARNING
from ..core.rulespec import Docs, Rule, declare
from ._manifest import PUBLIC, manifest

CLIENT = "oa2client_4f8Kq2LmNp7RsT9vWxYz1A"
_MANIFEST = manifest(PUBLIC, client_id=CLIENT)
_RECORD = (
    '{\n  "client_id": "oa2client_4f8Kq2LmNp7RsT9vWxYz1A",\n  "description": "Turns won Close opportunities into Tidewater invoices.",\n'
    '  "format": 1,\n  "listing_requested": false,\n  "manifest": "closeapp.yaml",\n  "name": "Tidewater Desk",\n'
    '  "privacy_policy_url": "https://tidewater.dev/legal/privacy",\n  "redirect_url": "https://app.tidewater.dev/oauth/close/callback",\n'
    '  "status": "public",\n  "terms_of_service_url": "https://tidewater.dev/legal/terms"\n}\n'
)

dashboard_drift = declare(
    "CA601",
    "dashboard-drift",
    INFO,
    "The manifest differs from what its applied record says is in Close (opt in: not in the default rule set).",
    Docs(
        what="Reports each field whose value differs from the applied record beside the manifest (closeapp.applied.json): a change merged in git that "
        "nobody has made in Close yet. Close itself is never read: the record is the team's own note, written by `closeapp-lint applied`. "
        'Not in the default rule set; select it (`extend-select = ["CA601"]`) to see drift in the editor.',
        why="Close has no API for OAuth apps, so the manifest in git and the app in Close drift apart silently until someone compares them.",
        example=_MANIFEST + "# closeapp.applied.json beside it records the name 'Tidewater Desk'\n",
        use_instead=_MANIFEST + "# closeapp.applied.json beside it records the same values\n",
        fix="Change the field in Close (Settings → Developer → OAuth Apps), then run `closeapp-lint applied` to record it; `closeapp-lint plan` lists every pending change.",
    ),
    default=False,
)

bad_applied_record = declare(
    "CA602",
    "bad-applied-record",
    ERROR,
    "An applied record (*.applied.json) is not valid.",
    Docs(
        what="Reports an applied record that is not JSON, has unknown keys or values of the wrong type, a `format` other than 1, a `manifest` that does "
        "not name the manifest beside it, or that two manifests (closeapp.yaml and closeapp.yml) would share; at the record's line and column.",
        why="`closeapp-lint plan` compares the manifest with its record; a broken record would make every plan wrong, so plan exits 2 instead.",
        example=_RECORD.replace('"listing_requested": false', '"listing_requested": "no"'),
        use_instead=_RECORD,
        fix="Let `closeapp-lint applied` write the record (it writes sorted keys, one per line); fix a hand edit to the types in schemas/closeapp.applied.schema.json.",
    ),
)

orphan_applied_record = declare(
    "CA603",
    "orphan-applied-record",
    WARNING,
    "An applied record's manifest is gone (renamed or deleted).",
    Docs(
        what="Reports an applied record with no manifest beside it: the manifest it names was renamed, moved or deleted.",
        why="A record without its manifest is compared with nothing; after a rename the app in Close is still there, but its record no longer is.",
        example=_RECORD.replace('"manifest": "closeapp.yaml"', '"manifest": "billing.closeapp.yaml"'),  # as billing.closeapp.applied.json, alone
        use_instead=_RECORD,
        fix="Rename the record with its manifest (billing.closeapp.yaml → billing.closeapp.applied.json), or delete it when the app is gone from Close too.",
    ),
)

RULES: tuple[Rule, ...] = (dashboard_drift, bad_applied_record, orphan_applied_record)
BY_CODE = {r.code: r for r in RULES}
