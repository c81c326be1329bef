// Runs axe-core on one page in the given Chromium and prints axe's results as JSON.
//
// Usage: node axe_check.cjs CHROMIUM URL WIDTH HEIGHT
// The caller passes a file:// URL and Chromium runs with networking off;
// axe-core's own source is injected into the page, as axe's docs show for
// puppeteer. NODE_PATH must hold puppeteer and axe-core (see tests/browser/package.json).
"use strict";
const puppeteer = require("puppeteer");
const axe = require("axe-core");
const { CHROMIUM_ARGS } = require("./chromium_args.cjs");

function brief(results) {
  return results.map((r) => ({
    id: r.id,
    impact: r.impact,
    help: r.help,
    nodes: r.nodes.map((n) => ({
      target: n.target,
      html: n.html.slice(0, 200),
      why: n.any.concat(n.all, n.none).map((c) => c.message),
    })),
  }));
}

async function main() {
  const [chromium, url, width, height] = process.argv.slice(2);
  const browser = await puppeteer.launch({ executablePath: chromium, headless: true, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: Number(width), height: Number(height) });
    await page.goto(url, { waitUntil: "load" });
    await page.evaluate(axe.source);
    const results = await page.evaluate(() => window.axe.run(document));
    process.stdout.write(JSON.stringify({
      version: axe.version,
      passes: results.passes.length,
      violations: brief(results.violations),
      incomplete: brief(results.incomplete),
    }));
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  process.stderr.write(String((error && error.stack) || error) + "\n");
  process.exit(3);
});
