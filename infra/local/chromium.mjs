// Debian's Chromium (apt-get install chromium). Playwright cannot download a browser here.
// Used by the e2e tests (e2e/chromium.ts) and the screenshot and benchmark scripts.
import { existsSync } from 'node:fs';

export function chromiumPath() {
  const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(`Chromium is not at ${path}. Install it (Debian/Ubuntu: sudo apt-get install chromium) or set CHROMIUM_PATH.`);
  }
  return path;
}

/** Without these, Chromium keeps calling Google's servers, which this network refuses. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
