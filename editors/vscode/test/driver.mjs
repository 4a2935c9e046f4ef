// Drives the VS Code web workbench (code-server) in headless Chromium for test/ci.sh:
// opens the workbench with the integration test in its `payload`, opens the Dockerfile through
// Quick Open, waits for dockwise's squiggles, saves a screenshot, then waits for the extension
// host's results.json and prints one line per check. Writes <run dir>/summary.json.
//
// Usage: node driver.mjs URL RUN_DIR SCREENSHOT_PATH TIMEOUT_SECONDS
// Env: PLAYWRIGHT_CORE (the playwright-core package folder), CHROMIUM (default /usr/bin/chromium).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const [url, runDir, screenshotPath, timeoutArg] = process.argv.slice(2);
const deadline = Date.now() + Number(timeoutArg ?? 180) * 1000;
const require = createRequire(import.meta.url);
const { chromium } = require(process.env.PLAYWRIGHT_CORE ?? 'playwright-core');

const resultsFile = path.join(runDir, 'results.json');
const uiChecks = [];
const log = (message) => console.log(`[driver ${new Date().toISOString().slice(11, 19)}] ${message}`);
const remaining = () => Math.max(1000, deadline - Date.now());

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-dev-shm-usage',
  ],
});

let exitCode = 1;
try {
  // A fresh profile each run: launch() gives the browser a new temporary user-data-dir.
  const context = await browser.newContext({ viewport: { width: 1200, height: 720 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.on('pageerror', (error) => log(`page error: ${error.message.split('\n')[0]}`));

  log('opening the workbench');
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: remaining() });
  await page.waitForSelector('.monaco-workbench', { timeout: Math.min(60000, remaining()) });

  await uiCheck('UI: the Dockerfile shows dockwise squiggles; screenshot saved', async () => {
    await openWithQuickOpen(page, 'Dockerfile', 'Dockerfile');
    const squiggles = page.locator('.monaco-editor .squiggly-warning, .monaco-editor .squiggly-error');
    await squiggles.first().waitFor({ state: 'attached', timeout: Math.min(60000, remaining()) });
    // Let the rest of the diagnostics arrive and render.
    await page.waitForTimeout(1000);
    const count = await page.locator('.monaco-editor [class*="squiggly-"]').count();
    // The Problems panel lists every finding with its code.
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel .monaco-list-row').first()
      .waitFor({ state: 'visible', timeout: 10000 })
      .catch((error) => log(`no Problems panel: ${error.message.split('\n')[0]}`));
    // Hover the top squiggle (GO101 on FROM) so the screenshot shows dockwise's hover. The mouse
    // moves to its box: Playwright's hover() would scroll the editor to the decoration.
    const boxes = (await Promise.all((await squiggles.all()).map((s) => s.boundingBox()))).filter(Boolean);
    boxes.sort((a, b) => a.y - b.y || a.x - b.x);
    if (boxes.length > 0) {
      const { x, y, width, height } = boxes[0];
      await page.mouse.move(x + width / 2 - 8, y + height / 2);
      await page.mouse.move(x + width / 2, y + height / 2, { steps: 4 });
      await page.locator('.monaco-hover:not(.hidden)').first()
        .waitFor({ state: 'visible', timeout: 8000 })
        .then(() => page.waitForTimeout(500))
        .catch((error) => log(`no hover for the screenshot: ${error.message.split('\n')[0]}`));
    }
    fs.mkdirSync(path.dirname(screenshotPath), { recursive: true });
    await page.screenshot({ path: screenshotPath });
    return `${count} squiggle decorations; ${screenshotPath} (${fs.statSync(screenshotPath).size} bytes)`;
  });
  fs.writeFileSync(path.join(runDir, 'ui-done'), 'done\n');

  log('waiting for the extension-host test results');
  const readResults = () => {
    try {
      return JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
    } catch {
      return undefined; // Not written yet.
    }
  };
  let results = readResults();
  while (!results?.done && Date.now() < deadline) {
    await page.waitForTimeout(500);
    results = readResults();
  }
  const hostChecks = results?.checks ?? [];
  if (!results?.done) {
    hostChecks.push({
      name: 'extension-host test finished in time',
      passed: false,
      message: results === undefined
        ? `${resultsFile} never appeared: did the test module load?`
        : `timed out after ${results.checks.length} checks`,
    });
  }
  const all = [...uiChecks, ...hostChecks];
  for (const check of all) {
    console.log(`${check.passed ? 'PASS' : 'FAIL'}  ${check.name}${check.ms !== undefined ? ` (${check.ms} ms)` : ''}`);
    if (check.message) {
      console.log(`      ${check.message}`);
    }
  }
  const passed = all.filter((check) => check.passed).length;
  const failed = all.length - passed;
  fs.writeFileSync(path.join(runDir, 'summary.json'), JSON.stringify({ passed, failed, checks: all }, null, 2));
  exitCode = failed === 0 && passed > 0 ? 0 : 1;
} catch (error) {
  log(`driver failed: ${error.stack ?? error}`);
} finally {
  await browser.close().catch(() => undefined);
}
process.exit(exitCode);

async function uiCheck(name, body) {
  const started = Date.now();
  try {
    uiChecks.push({ name, passed: true, message: await body(), ms: Date.now() - started });
  } catch (error) {
    uiChecks.push({ name, passed: false, message: error.message.split('\n')[0], ms: Date.now() - started });
    try {
      // Keep what the page looked like when it failed.
      fs.mkdirSync(path.dirname(screenshotPath), { recursive: true });
      await currentPage().screenshot({ path: screenshotPath.replace(/\.png$/, '-failure.png') });
    } catch {
      // No page to show.
    }
  }
}

function currentPage() {
  return browser.contexts()[0].pages()[0];
}

// Quick Open (Ctrl+P), type the query, wait for the row whose file name is `label`, press it.
async function openWithQuickOpen(page, query, label) {
  await page.locator('.monaco-workbench').click({ position: { x: 600, y: 300 } }).catch(() => undefined);
  const input = page.locator('.quick-input-widget input');
  for (let attempt = 0; attempt < 5 && !(await input.isVisible()); attempt++) {
    await page.keyboard.press('Control+P');
    await page.waitForTimeout(500);
  }
  await input.fill(query);
  const row = page.locator('.quick-input-list .monaco-list-row', {
    has: page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }),
  }).first();
  await row.waitFor({ state: 'visible', timeout: Math.min(30000, remaining()) });
  await row.click();
  await page.locator(`.tabs-container .tab[aria-label^="${label}"]`).first()
    .waitFor({ state: 'visible', timeout: Math.min(15000, remaining()) });
}
