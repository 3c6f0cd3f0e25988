// Drives a real VS Code (code-server, already started with the extension installed) in
// Debian's headless Chromium: opens a manifest with an http:// redirect, waits for CA201 in
// the Problems panel and "not ready" in the status bar, applies the fix, saves, and waits
// for "ready to publish". Every request that leaves 127.0.0.1 is aborted. Prints one JSON
// line of what it saw; exit 0 only when every step held.
//
//   node run.mjs URL MANIFEST_NAME SCREENSHOT_DIR
import { chromium } from "playwright-core";

const [url, manifest, shots] = process.argv.slice(2);
const seen = { steps: [] };
const step = (name, extra = {}) => seen.steps.push({ name, ...extra });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
let failed = null;
try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.route("**/*", (route) => {
    const host = new URL(route.request().url()).hostname;
    return host === "127.0.0.1" || host === "localhost" ? route.continue() : route.abort();
  });
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForSelector(".monaco-workbench", { timeout: 90_000 });
  step("workbench");

  // Open the manifest through Quick Open.
  await page.waitForTimeout(1500);
  await page.keyboard.press("Control+P");
  await page.waitForSelector(".quick-input-widget input", { timeout: 30_000 });
  await page.keyboard.type(manifest);
  await page.waitForSelector(`.quick-input-list .monaco-list-row[aria-label*="${manifest}"]`, { timeout: 30_000 });
  await page.keyboard.press("Enter");
  await page.waitForSelector(`.tab[aria-label*="${manifest}"]`, { timeout: 30_000 });
  step("opened");

  // The status bar: the active manifest is not ready (its redirect is http://).
  const statusText = () =>
    page.evaluate(() => [...document.querySelectorAll(".statusbar-item")].map((e) => e.textContent.trim()).find((t) => t.includes("Close:")) ?? "");
  await page.waitForFunction(
    () => [...document.querySelectorAll(".statusbar-item")].some((e) => e.textContent.includes("Close: not ready")),
    null,
    { timeout: 60_000 },
  );
  step("status not ready", { text: await statusText() });

  // The Problems panel shows CA201.
  await page.keyboard.press("Control+Shift+M");
  await page.waitForFunction(
    () => [...document.querySelectorAll(".markers-panel .monaco-list-row")].some((e) => e.textContent.includes("CA201")),
    null,
    { timeout: 60_000 },
  );
  const problems = await page.locator(".markers-panel .monaco-list-row").allTextContents();
  step("problems", { rows: problems.map((t) => t.replace(/\s+/g, " ").trim()) });
  await page.screenshot({ path: `${shots}/problems-and-status.png` });

  // The quick fix: the cursor on the finding's line, Ctrl+. and the server's preferred fix.
  await page.locator(".monaco-editor .view-lines").first().click();
  await page.keyboard.press("Control+G");
  await page.waitForSelector(".quick-input-widget input", { timeout: 30_000 });
  await page.keyboard.type(`${process.env.FIX_LINE ?? "8"}:20`);
  await page.keyboard.press("Enter");
  await page.waitForTimeout(500);
  await page.keyboard.press("Control+.");
  await page.waitForSelector(".action-widget .monaco-list-row", { timeout: 30_000 });
  const offered = await page.locator(".action-widget .monaco-list-row").allTextContents();
  const fix = page.locator(".action-widget .monaco-list-row", { hasText: "Fix CA201" }).first();
  await fix.click();
  step("quick fix", { offered: offered.map((t) => t.replace(/\s+/g, " ").trim()) });
  await page.waitForFunction(
    () => [...document.querySelectorAll(".monaco-editor .view-line")].some((e) => e.textContent.replace(/\u00a0/g, " ").includes("redirect_url: https://")), // Monaco renders spaces as no-break spaces
    null,
    { timeout: 30_000 },
  );
  await page.keyboard.press("Control+S");
  step("fixed");

  await page.waitForFunction(
    () => [...document.querySelectorAll(".statusbar-item")].some((e) => e.textContent.includes("Close: ready to publish")),
    null,
    { timeout: 60_000 },
  );
  step("status ready", { text: await statusText() });
  await page.waitForFunction(
    () => ![...document.querySelectorAll(".markers-panel .monaco-list-row")].some((e) => e.textContent.includes("CA201")),
    null,
    { timeout: 60_000 },
  );
  step("problems cleared");
  await page.screenshot({ path: `${shots}/ready.png` });
} catch (error) {
  failed = String(error);
  try {
    const pages = browser.contexts()[0]?.pages() ?? [];
    if (pages[0]) await pages[0].screenshot({ path: `${shots}/failure.png` });
  } catch {
    // no screenshot
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify({ ...seen, failed }));
process.exit(failed ? 1 : 0);
