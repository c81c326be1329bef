// The report's filter with JavaScript off: untick "passed", press the submit
// button, and report what is then shown and where the page is.
//
// Usage: node filter_without_javascript.cjs CHROMIUM URL
// Prints {url, shown: {verdict: count of scenarios displayed}} as JSON.
"use strict";
const puppeteer = require("puppeteer");
const { CHROMIUM_ARGS } = require("./chromium_args.cjs");

async function main() {
  const [chromium, url] = process.argv.slice(2);
  const browser = await puppeteer.launch({ executablePath: chromium, headless: true, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.setJavaScriptEnabled(false);
    await page.goto(url, { waitUntil: "load" });
    await page.click('#filters input[name=status][value=passed]');
    await page.click('#filters button[type=submit]');
    await new Promise((resolve) => setTimeout(resolve, 500)); // a navigation would start now
    const shown = await page.$$eval("details.scenario", (all) => {
      const counts = {};
      for (const s of all) {
        if (getComputedStyle(s).display !== "none") {
          counts[s.dataset.status] = (counts[s.dataset.status] || 0) + 1;
        }
      }
      return counts;
    });
    const ticked = await page.$eval('#filters input[value=passed]', (box) => box.checked);
    process.stdout.write(JSON.stringify({ url: page.url(), shown, passedTicked: ticked }));
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  process.stderr.write(String((error && error.stack) || error) + "\n");
  process.exit(3);
});
