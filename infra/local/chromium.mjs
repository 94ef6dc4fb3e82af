// Debian's Chromium (apt-get install chromium). Playwright cannot download a browser here.
// Used by the e2e tests (e2e/chromium.ts) and the screenshot and benchmark scripts.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './paths.mjs';

/** Execs Chromium with every --disable-features merged into one (the script says why). */
export const CHROMIUM_LAUNCHER = join(ROOT, 'infra', 'local', 'chromium-launcher.sh');

/**
 * What Playwright launches: the launcher, which execs Chromium from $CHROMIUM_PATH (set here to
 * /usr/bin/chromium unless it is set already).
 */
export function chromiumPath() {
  const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(`Chromium is not at ${path}. Install it (Debian/Ubuntu: sudo apt-get install chromium) or set CHROMIUM_PATH.`);
  }
  process.env.CHROMIUM_PATH = path;
  return CHROMIUM_LAUNCHER;
}

/**
 * Chromium 156 builds two web apps for the address bar's popup (chrome://omnibox-popup.top-chrome/)
 * in a renderer of their own for every new window, though a headless window never shows them.
 * Measured over 10 windows that each open a page: 1.68 s of Chromium's CPU per window with them,
 * 0.86 s without. Every test opens at least one window.
 */
export const DISABLED_FEATURES = ['WebUIOmniboxPopup', 'WebUIOmniboxAimPopup'];

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
  // Merged with Playwright's own list by the launcher.
  `--disable-features=${DISABLED_FEATURES.join(',')}`,
];
