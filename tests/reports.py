"""A fixed multi-file report that exercises every reporter."""

from __future__ import annotations

from types import MappingProxyType

from closeapp_lint.core.model import FileReport, Finding, Frame, RunReport, Span
from closeapp_lint.judge.engine import lint

SECRET = "SuperSecretValue-0123456789"
API_KEY = "api_" + "a1B2c3D4e5F6g7H8i9J0kL" + "." + "m1N2o3P4q5R6s7T8u9V0wX"

BILLING = f"""\
manifest_version: 1
name: Close Sync  # closeapp-lint: disable=CA211
description: >-
  Syncs deals. Creates invoices.
  Sends reminders.
redirect_url: http://app.tidewater.dev/oauth/close/callback
terms_of_service_url: https://tidewater.dev/legal/terms
privacy_policy_url: https://tidewater.dev/legal/privacy
visibility: public
x-deploy:
  client_secret: {SECRET}
# rotated key: {API_KEY}
"""
CLEAN = """\
manifest_version: 1
name: Tidewater Deal Desk
description: Turns won Close opportunities into Tidewater invoices.
redirect_url: https://app.tidewater.dev/oauth/close/callback
"""
ODD_MESSAGE = "100% sure: a, b | c\r\nnext line — naïve ✓ <b>&amp;</b> *x* _y_"


def fixed_report() -> RunReport:
    billing = lint(BILLING.encode(), "apps/billing/closeapp.yaml")
    odd = FileReport(
        path="apps/odd name/x.closeapp.yaml",
        findings=(Finding("CA104", "invalid-value", "error", ODD_MESSAGE, Span(2, 3, 2, 9), "/visibility"),),
        frames=MappingProxyType({2: Frame("  x: y")}),
    )
    clean = lint(CLEAN.encode(), "closeapp.yaml")
    broken = lint(b"name: [\n", "broken.closeapp.yaml")
    return RunReport((billing, odd, clean, broken), "9.9.9")
