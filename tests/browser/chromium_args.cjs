// The flags every checker starts Chromium with: headless, and nothing that
// reaches out (no background networking, component updates, sync or first-run
// pages), so the only address the browser opens is the report's.
"use strict";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-default-apps",
  "--disable-extensions",
  "--no-first-run",
];
module.exports = { CHROMIUM_ARGS };
