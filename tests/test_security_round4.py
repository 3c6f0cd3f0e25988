"""Security, round 4: the new surfaces — bases, records, drafts, plans, ``resolve`` —
held to the old promises (no credential printed, nothing outside the root read, no
injection into mail headers or Markdown, no device replaced, bounded work, no crash)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from closeapp_lint.cli import main

# Credentials whose values hold a quote, a backslash, a tab and a line break: every output
# escapes them its own way, so a masker that looked for the raw value would miss them.
PARTS = ("Pz7Rt4Vb", "Hn3Jc8Ds", "Yf6Gk1Mw")
QUOTED = 'client_secret: "Kx9Lm2Qw\\"Pz7Rt4Vb\\\\Hn3Jc8Ds\\tYf6Gk1Mw"\n'
PEM = "private_key: |\n  -----BEGIN RSA PRIVATE KEY-----\n  MIIEpAIBAAKCAQEAPz7Rt4VbHn3Jc8DsYf6Gk1MwQx\n  Hn3Jc8DsYf6Gk1MwPz7Rt4VbAbCdEf0123456789\n  -----END RSA PRIVATE KEY-----\n"
BASE = """\
manifest_version: 1
name: Driftwood Reports
description: Sends a weekly report of won and lost Close opportunities to each sales manager.
terms_of_service_url: https://driftwood.io/legal/terms
privacy_policy_url: https://driftwood.io/legal/privacy
scopes: [all.full_access, offline_access]
"""
MANIFEST = """\
extends: shared.closeapp-base.yaml
visibility: public
redirect_url: https://app.driftwood.io/oauth/close/callback
client_id: oa2client_Pr0dK8cW2mZx5Lq7Ht4Bn1
listing:
  product_url: https://driftwood.io
  summary: Sends sales managers a weekly report of won and lost opportunities.
  contact_email: partners@driftwood.io
"""


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout + result.stderr


COMMANDS = [
    *(("check", "--format", fmt, "production.closeapp.yaml") for fmt in ("text", "concise", "json", "sarif", "junit", "github", "gitlab", "markdown")),
    ("check", "--diff", "production.closeapp.yaml"),
    ("check", "shared.closeapp-base.yaml"),
    *(("checklist", "--format", fmt, "production.closeapp.yaml") for fmt in ("text", "json", "markdown")),
    *(("resolve", "--format", fmt, "production.closeapp.yaml") for fmt in ("text", "json")),
    *(("plan", "--format", fmt, "production.closeapp.yaml") for fmt in ("text", "json", "markdown")),
    *(("publish-request", "--format", fmt, "production.closeapp.yaml") for fmt in ("text", "markdown", "eml", "mailto")),
    ("applied", "--yes", "production.closeapp.yaml"),
]


@pytest.mark.parametrize("where", ["manifest", "base"])
@pytest.mark.parametrize("planted", [QUOTED, PEM], ids=["quoted", "pem"])
def test_no_command_prints_a_credential_in_any_format(where: str, planted: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "shared.closeapp-base.yaml").write_text(BASE + (planted if where == "base" else ""))
    (tmp_path / "production.closeapp.yaml").write_text(MANIFEST + (planted if where == "manifest" else ""))
    monkeypatch.chdir(tmp_path)
    for command in COMMANDS:
        _, out = _run(*command)
        for part in PARTS:
            assert part not in out, f"{' '.join(command)} printed {part}:\n{out}"
        assert "CA411" in out or command[0] in ("resolve", "plan", "publish-request", "applied") or "--diff" in command, (command, out)
