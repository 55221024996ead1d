// Usage: node live-reload.js BASE_URL SHEET_FILE
// With `schede serve` running on BASE_URL over a project whose sheet
// 2019_A01 is SHEET_FILE, drives headless Chromium (Debian's, through
// playwright-core, as ../shared/tools/lib/axe-check.js does): the open page
// shows an edit by itself, then the errors of a broken sheet, then loses
// them when the sheet is fixed; the preview page reloads its frame.
// Prints one line per step; exits 1 on the first failure.
const { chromium } = require("playwright-core");
const fs = require("fs");
const os = require("os");
const path = require("path");

const [base, sheet] = process.argv.slice(2);
const TIMEOUT = 60000;
const original = fs.readFileSync(sheet, "utf8");
const titleLine = original.split("\n").find((line) => line.startsWith("titolo:"));
const title = titleLine.slice("titolo: ".length);
const withTitle = (text) => original.replace(titleLine, "titolo: " + text);

async function connected(page) {
  await page.waitForFunction(() => document.documentElement.dataset.schedeLive === "connected", null, {
    timeout: TIMEOUT,
  });
}

(async () => {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "schede-serve-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = await context.newPage();
    await page.goto(base + "2019/2019_A01.html");
    await page.locator("h1", { hasText: title }).waitFor({ timeout: TIMEOUT });
    await connected(page);

    fs.writeFileSync(sheet, withTitle("Titolo scritto mentre la pagina era aperta"));
    await page.locator("h1", { hasText: "Titolo scritto mentre la pagina era aperta" }).waitFor({ timeout: TIMEOUT });
    console.log("page shows the new title");
    await connected(page);

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
    await page.locator("h1", { hasText: title }).waitFor({ timeout: TIMEOUT });
    console.log("overlay gone, title restored");

    const preview = await context.newPage();
    await preview.goto(base + "__schede/preview/2019/2019_A01");
    await connected(preview);
    const frame = preview.frameLocator("#schede-page");
    await frame.locator("h1", { hasText: title }).waitFor({ timeout: TIMEOUT });
    fs.writeFileSync(sheet, withTitle("Titolo visto nell'anteprima"));
    await frame.locator("h1", { hasText: "Titolo visto nell'anteprima" }).waitFor({ timeout: TIMEOUT });
    console.log("preview reloaded its page");
  } finally {
    fs.writeFileSync(sheet, original);
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
