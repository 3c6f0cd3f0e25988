"""The publish-readiness checklist (SPEC §5)."""

from __future__ import annotations

import pytest

from closeapp_lint.judge.checklist import ITEMS

from .conftest import PUBLIC, VALID, run

CLIENT = "client_id: oa2client_0123456789abcdefABCDEF\n"
LISTING = "listing:\n  product_url: https://tidewater.dev\n  summary: Creates invoices.\n"


def statuses(text: str) -> dict[str, tuple[str, tuple[str, ...]]]:
    readiness = run(text).readiness
    assert readiness is not None
    return {i.id: (i.status, i.codes) for i in readiness.items}


def test_items_in_spec_order() -> None:
    assert [i.id for i in ITEMS] == [
        "name",
        "description",
        "redirect_url",
        "terms_of_service_url",
        "privacy_policy_url",
        "scopes",
        "secrets",
        "schema",
        "listing",
    ]


def test_private_app_without_legal_urls() -> None:
    report = run(VALID)
    assert report.findings == ()  # nothing reported for a private app...
    assert report.readiness is not None and not report.readiness.ready  # ...but not ready to go public
    assert statuses(VALID) == {
        "name": ("pass", ()),
        "description": ("pass", ()),
        "redirect_url": ("pass", ()),
        "terms_of_service_url": ("fail", ("CA301",)),
        "privacy_policy_url": ("fail", ("CA301",)),
        "scopes": ("pass", ()),
        "secrets": ("pass", ()),
        "schema": ("pass", ()),
        "listing": ("n/a", ()),
    }
    details = {i.id: i.detail for i in report.readiness.items}
    assert details["terms_of_service_url"] == "terms_of_service_url is missing; Close requires it before an app can be made public"
    assert details["listing"] == "no Integrations Directory listing requested"


def test_public_complete_app_is_ready() -> None:
    report = run(PUBLIC + CLIENT + LISTING)
    assert report.findings == ()
    assert report.readiness is not None and report.readiness.ready
    assert all(status == "pass" for status, _ in statuses(PUBLIC + CLIENT + LISTING).values())


@pytest.mark.parametrize(
    ("text", "item", "status", "item_codes"),
    [
        (PUBLIC.replace("Tidewater Deal Desk", "Close Sync"), "name", "warn", ("CA213",)),
        (PUBLIC.replace("Tidewater Deal Desk", "TODO"), "name", "fail", ("CA212",)),
        (PUBLIC.replace("name: Tidewater Deal Desk\n", ""), "name", "fail", ("CA101",)),
        (PUBLIC.replace("Tidewater invoices.", "invoices. Twice. Thrice."), "description", "fail", ("CA211",)),
        (PUBLIC.replace("https://app.tidewater.dev", "http://localhost"), "redirect_url", "fail", ("CA201", "CA203")),
        (PUBLIC.replace("https://tidewater.dev/legal/terms", "http://tidewater.dev/legal/terms"), "terms_of_service_url", "fail", ("CA302",)),
        (PUBLIC.replace("https://tidewater.dev/legal/privacy", "https://tidewater.dev/legal/terms"), "privacy_policy_url", "warn", ("CA305",)),
        (PUBLIC + "scopes: [all.full_access]\n", "scopes", "warn", ("CA402",)),
        (PUBLIC + "scopes: [admin]\n", "scopes", "fail", ("CA401",)),
        (PUBLIC + "x-password: hunter2hunter2\n", "secrets", "fail", ("CA411",)),
        (PUBLIC + "colour: blue\n", "schema", "fail", ("CA102",)),
        (PUBLIC + LISTING, "listing", "fail", ("CA312",)),
        (VALID + CLIENT + LISTING, "listing", "fail", ("CA311",)),
    ],
)
def test_each_failing_item(text: str, item: str, status: str, item_codes: tuple[str, ...]) -> None:
    got = statuses(text)
    assert got[item] == (status, item_codes)
    # and only that item (plus schema for a missing field, and the n/a listing of a listing-free app)
    others = {k: v for k, v in got.items() if k != item and not (k == "schema" and item_codes == ("CA101",))}
    if "visibility: public" in text:  # a private base also lacks its legal URLs
        assert all(v in (("pass", ()), ("n/a", ())) for v in others.values()), others


def test_private_app_checklist_judges_as_if_public() -> None:
    # CA203 is silent in a private app's findings but fails its checklist item.
    text = VALID.replace("https://app.tidewater.dev", "https://localhost")
    report = run(text)
    assert report.findings == ()
    assert statuses(text)["redirect_url"] == ("fail", ("CA203",))


def test_unparsable_file_has_no_checklist() -> None:
    assert run("a: [\n").readiness is None


# --- pinned by mutation testing (tools/mutate.py) -------------------------------------------


def test_clean_public_app_passes_every_item_and_the_absent_listing_is_n_a() -> None:
    readiness = run(PUBLIC).readiness
    assert readiness is not None and readiness.ready
    assert [(i.id, i.status) for i in readiness.items] == [
        ("name", "pass"),
        ("description", "pass"),
        ("redirect_url", "pass"),
        ("terms_of_service_url", "pass"),
        ("privacy_policy_url", "pass"),
        ("scopes", "pass"),
        ("secrets", "pass"),
        ("schema", "pass"),
        ("listing", "n/a"),
    ]


def test_a_schema_error_fails_only_the_schema_and_its_field() -> None:
    readiness = run(PUBLIC + "colour: blue\n").readiness
    assert readiness is not None
    statuses = {i.id: i.status for i in readiness.items}
    assert statuses["schema"] == "fail" and statuses["secrets"] == "pass" and statuses["name"] == "pass"


def test_warnings_only_keep_the_app_ready_and_name_the_warning() -> None:
    readiness = run(PUBLIC.replace("legal/privacy", "legal/terms")).readiness
    assert readiness is not None and readiness.ready
    item = next(i for i in readiness.items if i.id == "privacy_policy_url")
    assert (item.status, item.codes, item.detail) == (
        "warn",
        ("CA305",),
        "privacy_policy_url is the same page as terms_of_service_url; link each to its own document",
    )
