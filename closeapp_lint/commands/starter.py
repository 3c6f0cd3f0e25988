"""The commented starter manifest written by ``closeapp-lint init``.

As written it passes as a private app (exit 0): its placeholders — the values marked
REPLACE and the starter's own text — are CA212 warnings, errors once the app is public,
and the publish-readiness checklist fails on each of them (example.com is a reserved
domain) until it is replaced.
"""

STARTER = """\
# Close OAuth app manifest, checked by closeapp-lint.
#
# Values marked REPLACE are placeholders: put in your own, then run
#   closeapp-lint checklist closeapp.yaml
# to see what is left before you can click "Make Public" in Close.
# For hover help in your editor: closeapp-lint schema > closeapp.schema.json, then
# add the line "# yaml-language-server: $schema=closeapp.schema.json" at the top.

# The manifest format version: always the integer 1.
manifest_version: 1

# App Name, shown to users on Close's consent screen (1-50 characters).
# Lead with your own product's name, e.g. "Tidewater for Close".
name: Example Product for Close  # REPLACE

# App Description: 1-2 sentences on what the app does (at most 300 characters).
description: >-
  Describes what Example Product does with your Close data.
  Replace this with one or two sentences of your own.

# Redirect URL: exactly one absolute https:// URL, no #fragment, no wildcard.
# Close does not accept plain http:// redirect URLs.
redirect_url: https://app.example.com/oauth/close/callback  # REPLACE

# Terms of Service and Privacy Policy URLs: optional while the app is private,
# required before you submit it to be made public. Uncomment and fill in:
# terms_of_service_url: https://www.example.com/legal/terms      # REPLACE
# privacy_policy_url: https://www.example.com/legal/privacy      # REPLACE

# private (only your organization can authorize the app) or public (submitted for
# publication: the publication rules become errors).
visibility: private

# Close grants every OAuth app exactly these two scopes.
scopes: [all.full_access, offline_access]

# The Client ID Close shows after you create the app (oa2client_ + 22 characters).
# Never put the client secret in this file: keep it in your secret store.
# client_id: oa2client_0000000000000000000000  # REPLACE

# Your own settings go under keys that start with x-, e.g.:
# x-owner: platform-team
"""
