// How many lines each table header's text takes at one window size.
//
// Usage: node header_lines.cjs CHROMIUM URL WIDTH HEIGHT
// Prints [{text, lines}] for every visible <th> as JSON (JavaScript on, as a reader has it).
"use strict";
const puppeteer = require("puppeteer");
const { CHROMIUM_ARGS } = require("./chromium_args.cjs");

async function main() {
  const [chromium, url, width, height] = process.argv.slice(2);
  const browser = await puppeteer.launch({ executablePath: chromium, headless: true, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: Number(width), height: Number(height) });
    await page.goto(url, { waitUntil: "load" });
    const headers = await page.$$eval("th", (all) => all
      .filter((th) => th.getClientRects().length > 0)
      .map((th) => {
        const range = document.createRange();
        range.selectNodeContents(th);
        const tops = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top)));
        return { text: th.textContent.trim(), lines: tops.size };
      }));
    process.stdout.write(JSON.stringify(headers));
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  process.stderr.write(String((error && error.stack) || error) + "\n");
  process.exit(3);
});
