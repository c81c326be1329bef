// Runs axe-core on one page in the given Chromium and prints axe's results as JSON.
//
// Usage: node axe_check.cjs CHROMIUM URL [--no-javascript]
// The page is loaded with networking off (the caller passes a file:// URL);
// axe-core's own source is injected into the page, as axe's docs show for
// puppeteer. Needs NODE_PATH to hold puppeteer and axe-core (tests/browser_tools.py).
"use strict";
const puppeteer = require("puppeteer");
const axe = require("axe-core");

async function main() {
  const [chromium, url] = process.argv.slice(2);
  const browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run",
      "--disable-default-apps", "--disable-extensions",
    ],
  });
  try {
    const page = await browser.newPage();
    await page.goto(url, { waitUntil: "load" });
    await page.evaluate(axe.source);
    const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations", "incomplete"] }));
    const brief = (items) => items.map((r) => ({
      id: r.id, impact: r.impact, help: r.help,
      nodes: r.nodes.map((n) => ({ target: n.target, html: n.html.slice(0, 200), why: n.any.concat(n.all, n.none).map((c) => c.message) })),
    }));
    process.stdout.write(JSON.stringify({
      version: axe.version, violations: brief(results.violations), incomplete: brief(results.incomplete),
      passes: results.passes.length,
    }));
  } finally {
    await browser.close();
  }
}

main().catch((error) => { process.stderr.write(String(error && error.stack || error) + "\n"); process.exit(3); });
