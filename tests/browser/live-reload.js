// Usage: node live-reload.js BASE_URL SHEET_FILE
// With `schede serve` running on BASE_URL over a project whose sheet
// 2019_A01 is SHEET_FILE, drives headless Chromium (Debian's, through
// playwright-core, as ../shared/tools/lib/axe-check.js does): eight open
// tabs all show an edit by themselves (and a ninth still loads: a browser
// opens six connections to a server), then the errors of a broken sheet,
// then lose them when the sheet is fixed; the preview page reloads its
// frame; the list of sheets shows a new sheet. Then the server is stopped
// and started again by the test that runs this script: it prints
// `stop-server` and `start-server` and waits for a line on its standard
// input each time. The pages say the server stopped, then catch up with
// the edit made while it was down.
// Prints one line per step; exits 1 on the first failure.
const { chromium } = require("playwright-core");
const fs = require("fs");
const os = require("os");
const path = require("path");
const readline = require("readline");

const [base, sheet] = process.argv.slice(2);
// Generous: on a machine loaded far beyond its cores a step was seen to take
// more than a minute.
const TIMEOUT = 120000;
const TABS = 8;
const original = fs.readFileSync(sheet, "utf8");
const titleLine = original.split("\n").find((line) => line.startsWith("titolo:"));
const title = titleLine.slice("titolo: ".length);
const withTitle = (text) => original.replace(titleLine, "titolo: " + text);
const input = readline.createInterface({ input: process.stdin });
const lines = input[Symbol.asyncIterator]();

async function live(page, status) {
  try {
    await page.waitForFunction((status) => document.documentElement.dataset.schedeLive === status, status, {
      timeout: TIMEOUT,
    });
  } catch (error) {
    const now = await page.evaluate(() => document.documentElement.dataset.schedeLive).catch(() => "?");
    throw new Error(`${page.url()}: live is ${now}, not ${status}: ${error.message}`);
  }
}

async function showTitle(pages, text) {
  await Promise.all(pages.map((page) => page.locator("h1", { hasText: text }).waitFor({ timeout: TIMEOUT })));
}

// Asks the test to do `what` with the server, and waits until it has.
async function ask(what) {
  console.log(what);
  const answer = await lines.next();
  if (answer.done) throw new Error("no answer to " + what);
}

(async () => {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "schede-serve-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const newSheet = path.join(path.dirname(sheet), "2019_A99.md");
  try {
    // What the pages say, shown if a step fails.
    const said = [];
    context.on("console", (message) => said.push(`console: ${message.text()}`));
    context.on("weberror", (error) => said.push(`error: ${error.error().message}`));
    context.on("requestfailed", (request) => said.push(`failed: ${request.url()} ${request.failure().errorText}`));
    process.on("exit", (code) => code && console.error(said.join("\n")));
    const pages = [];
    for (let i = 0; i < TABS; i++) {
      const page = await context.newPage();
      // What the page shows is awaited below, not its `load`.
      await page.goto(base + "2019/2019_A01.html", { timeout: TIMEOUT, waitUntil: "domcontentloaded" });
      await live(page, "connected");
      pages.push(page);
    }
    await showTitle(pages, title);
    const ninth = await context.newPage();
    await ninth.goto(base + "2019/index.html", { timeout: TIMEOUT, waitUntil: "domcontentloaded" });
    await live(ninth, "connected");
    await ninth.close();

    fs.writeFileSync(sheet, withTitle("Titolo scritto mentre la pagina era aperta"));
    await showTitle(pages, "Titolo scritto mentre la pagina era aperta");
    console.log(`${TABS} tabs show the new title`);
    const page = pages[0];
    await live(page, "connected");

    fs.writeFileSync(sheet, withTitle('""'));
    const diagnostic = page.locator("#schede-overlay .schede-diagnostic", {
      hasText: "sheets/2019/2019_A01.md:3:1: error: field `titolo`: must not be empty",
    });
    await diagnostic.waitFor({ timeout: TIMEOUT });
    if ((await page.locator("#schede-overlay").getAttribute("role")) !== "alert") throw new Error("the overlay is no alert");
    if (!(await page.locator("h1").innerText()).includes("Titolo scritto mentre la pagina era aperta")) {
      throw new Error("the last good page is gone");
    }
    console.log("overlay shows sheets/2019/2019_A01.md:3:1");

    fs.writeFileSync(sheet, original);
    await page.locator("#schede-overlay").waitFor({ state: "detached", timeout: TIMEOUT });
    await showTitle(pages, title);
    console.log("overlay gone, title restored");

    const preview = await context.newPage();
    await preview.goto(base + "__schede/preview/2019/2019_A01");
    await live(preview, "connected");
    const frame = preview.frameLocator("#schede-page");
    await frame.locator("h1", { hasText: title }).waitFor({ timeout: TIMEOUT });
    fs.writeFileSync(sheet, withTitle("Titolo visto nell'anteprima"));
    await frame.locator("h1", { hasText: "Titolo visto nell'anteprima" }).waitFor({ timeout: TIMEOUT });
    console.log("preview reloaded its page");
    await preview.close();

    const list = await context.newPage();
    await list.goto(base + "__schede/");
    await live(list, "connected");
    fs.writeFileSync(newSheet, original.replace("codice: 2019_A01", "codice: 2019_A99"));
    await list.locator('a[href="/__schede/preview/2019/2019_A99"]').waitFor({ timeout: TIMEOUT });
    console.log("the list shows the new sheet");
    await list.close();
    await showTitle(pages, "Titolo visto nell'anteprima");

    await ask("stop-server");
    await Promise.all(pages.map((page) => live(page, "stopped")));
    const bar = await page.locator("#schede-status").innerText();
    if (!bar.includes("schede serve is not running")) throw new Error("the page does not say so: " + bar);
    console.log("the pages say the server stopped");
    fs.writeFileSync(sheet, withTitle("Titolo scritto a server fermo"));
    await ask("start-server");
    await showTitle(pages, "Titolo scritto a server fermo");
    console.log("the pages caught up after the restart");
  } finally {
    fs.writeFileSync(sheet, original);
    fs.rmSync(newSheet, { force: true });
    input.close();
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
