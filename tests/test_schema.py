"""The bundled schema and CA101–CA105."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from closeapp_lint.judge.schema import schema, schema_path

from .conftest import ROOT, VALID, found


def test_schema_passes_its_metaschema() -> None:
    Draft202012Validator.check_schema(schema())
    assert schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schema_is_the_top_level_file_in_a_checkout() -> None:
    assert json.loads((ROOT / "schemas" / "closeapp.schema.json").read_text()) == schema()
    assert os.path.basename(schema_path()) == "closeapp.schema.json"


def _properties(node: dict[str, Any], where: str = "") -> list[tuple[str, dict[str, Any]]]:
    found_props = []
    for name, sub in node.get("properties", {}).items():
        found_props.append((f"{where}/{name}", sub))
        found_props.extend(_properties(sub, f"{where}/{name}"))
    return found_props


@pytest.mark.parametrize(("pointer", "sub"), _properties(schema()))
def test_every_property_has_hover_help(pointer: str, sub: dict[str, Any]) -> None:
    assert sub.get("title") and sub.get("description") and sub.get("examples"), pointer
    Draft202012Validator(sub).validate(sub["examples"][0])


def test_schema_examples_compose_a_valid_manifest() -> None:
    example = {k: v["examples"][0] for k, v in schema()["properties"].items()}
    example["visibility"] = "public"
    assert list(Draft202012Validator(schema()).iter_errors(example)) == []


@pytest.mark.parametrize(
    ("yaml", "expected"),
    [
        (
            VALID.replace("redirect_url: https://app.tidewater.dev/oauth/close/callback\n", ""),
            [("CA101", 1, 1, "required field redirect_url is missing (e.g. redirect_url: https://app.tidewater.dev/oauth/close/callback)")],
        ),
        (
            "x-note: hi\nmanifest_version: 1\n",
            [
                (
                    "CA101",
                    1,
                    1,
                    "required field description is missing (e.g. description: Turns signed Close opportunities into Tidewater invoices. Payment status shows on the lead.)",
                ),
                ("CA101", 1, 1, "required field name is missing (e.g. name: Tidewater Deal Desk)"),
                ("CA101", 1, 1, "required field redirect_url is missing (e.g. redirect_url: https://app.tidewater.dev/oauth/close/callback)"),
            ],
        ),
        (VALID + "redirect_uri: x\n", [("CA102", 5, 1, "unknown field 'redirect_uri'; did you mean 'redirect_url'?")]),
        (VALID + "Privacy-Policy-URL: x\n", [("CA102", 5, 1, "unknown field 'Privacy-Policy-URL'; did you mean 'privacy_policy_url'?")]),
        (
            VALID + "colour: blue\n",
            [
                (
                    "CA102",
                    5,
                    1,
                    "unknown field 'colour'; known fields are manifest_version, name, description, redirect_url, terms_of_service_url, privacy_policy_url, visibility, scopes, client_id, listing, extends, environment; prefix your own keys with x-",
                )
            ],
        ),
        (VALID + "x-anything: [1, {a: b}]\n", []),
        (
            VALID
            + "visibility: public\nterms_of_service_url: https://t.dev/t\nprivacy_policy_url: https://t.dev/p\nclient_id: oa2client_0123456789abcdefABCDEF\n"
            "listing:\n  product_url: https://t.dev\n  summary: Creates invoices.\n  sumary: x\n",
            [("CA102", 12, 3, "unknown field 'sumary' in listing; did you mean 'summary'?")],
        ),
        (
            VALID.replace("name: Tidewater Deal Desk", "name: no"),
            [("CA103", 2, 7, 'name must be a string, but YAML read `no` as the boolean false; quote it: name: "no"')],
        ),
        (VALID + "visibility: on\n", [("CA103", 5, 13, "visibility must be a string, but YAML read `on` as the boolean true; write one of private, public")]),
        (
            VALID.replace("name: Tidewater Deal Desk", "name: 0755"),
            [("CA103", 2, 7, 'name must be a string, but YAML read `0755` as an integer; quote it: name: "0755"')],
        ),
        (
            VALID.replace("name: Tidewater Deal Desk", "name: 1:30"),
            [("CA103", 2, 7, 'name must be a string, but YAML read `1:30` as an integer; quote it: name: "1:30"')],
        ),
        (
            VALID.replace("name: Tidewater Deal Desk", "name: 3.14"),
            [("CA103", 2, 7, 'name must be a string, but YAML read `3.14` as a number; quote it: name: "3.14"')],
        ),
        (
            VALID.replace("name: Tidewater Deal Desk", "name: ~"),
            [("CA103", 2, 7, "name is empty (YAML reads `~` as nothing); give it a value, e.g. name: Tidewater Deal Desk")],
        ),
        (VALID.replace("name: Tidewater Deal Desk", "name: [a, b]"), [("CA103", 2, 7, "name must be a string, got a list")]),
        (VALID.replace("name: Tidewater Deal Desk", "name: !!bool 'true'"), [("CA103", 2, 7, "name must be a string, got the boolean true")]),
        (
            VALID.replace("manifest_version: 1", 'manifest_version: "1"'),
            [("CA103", 1, 19, "manifest_version must be an integer, got a string; write it without quotes")],
        ),
        (
            VALID + "scopes: all.full_access\n",
            [("CA103", 5, 9, "scopes must be a list, got the string 'all.full_access'; write scopes: [all.full_access, offline_access]")],
        ),
        (VALID + "visibility: pubic\n", [("CA104", 5, 13, "visibility must be one of private, public, got 'pubic'; did you mean 'public'?")]),
        (VALID + "visibility: internal\n", [("CA104", 5, 13, "visibility must be one of private, public, got 'internal'")]),
        (VALID.replace("manifest_version: 1", "manifest_version: 2"), [("CA104", 1, 19, "manifest_version must be 1, got 2")]),
        (VALID.replace("manifest_version: 1", "manifest_version: 1.5"), [("CA103", 1, 19, "manifest_version must be an integer, got 1.5")]),
        (VALID.replace("name: Tidewater Deal Desk", "name: '   '"), [("CA104", 2, 7, "name is blank; write some text")]),
        (
            VALID
            + "visibility: public\nterms_of_service_url: https://t.dev/t\nprivacy_policy_url: https://t.dev/p\nclient_id: oa2client_0123456789abcdefABCDEF\n"
            "listing:\n  product_url: https://t.dev\n  summary: Creates invoices.\n  contact_email: not-an-address\n",
            [("CA104", 12, 18, "listing.contact_email is not a valid e-mail address")],
        ),
        (VALID.replace("name: Tidewater Deal Desk", "name: " + "N" * 51), [("CA105", 2, 7, "name is 51 characters long; at most 50 are allowed — shorten it")]),
        (VALID.replace("name: Tidewater Deal Desk", "name: ''"), [("CA105", 2, 7, "name is empty; give it at least 1 character")]),
        (
            VALID + "scopes: []\n",
            [("CA105", 5, 9, "scopes is empty; write scopes: [all.full_access, offline_access] (Close grants both to every app), or leave scopes out")],
        ),
        (
            VALID.replace("description: Turns", "description: " + "y" * 300 + " Turns"),
            [("CA105", 3, 14, "description is 355 characters long; at most 300 are allowed — shorten it")],
        ),
    ],
)
def test_schema_findings(yaml: str, expected: list[tuple[str, int, int, str]]) -> None:
    assert found(yaml) == expected


def test_never_dumps_a_mapping_into_a_message() -> None:
    text = VALID.replace("name: Tidewater Deal Desk", "name: {thing: value, other: [1, 2, 3]}")
    assert found(text) == [("CA103", 2, 7, "name must be a string, got a mapping")]


def test_huge_values_do_not_break_messages() -> None:
    text = VALID.replace("manifest_version: 1", "manifest_version: 0x" + "f" * 20000)
    assert found(text) == [("CA103", 1, 19, "manifest_version must be an integer, got a number")]


@pytest.mark.parametrize(
    "text",
    ['{"a": [1, 2.5, "\\u00e9", true, null]}\n', '  {"leading": "space"}', "[1, NaN]", '{"a": 1} {"b": 2}', '{"a": ', "", '"\\ud800"', '{"a": 1e400}'],
)
def test_the_schema_reader_is_json_loads(text: str) -> None:
    """The schema is read by json's C scanner without loading json; whatever that does not
    take whole goes to json.loads, so the value or the error is json.loads' own."""
    from closeapp_lint.judge.schema import _json_value

    try:
        expected: Any = json.loads(text)
    except ValueError as exc:
        with pytest.raises(type(exc)):
            _json_value(text)
        return
    assert repr(_json_value(text)) == repr(expected)  # NaN != NaN; repr compares it too


def test_the_shipped_schema_is_read_as_json_loads_reads_it() -> None:
    from closeapp_lint.judge.schema import _json_value

    with open(schema_path(), encoding="utf-8") as fh:
        text = fh.read()
    assert _json_value(text) == json.loads(text)
