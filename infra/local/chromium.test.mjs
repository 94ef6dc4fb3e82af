// @vitest-environment node
// The Chromium every test and script launches (chromium.mjs): the launcher keeps Playwright's
// disabled features beside ours, and the address bar's web apps are not built for a window.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright';
import { describe, expect, it } from 'vitest';
import { CHROMIUM_LAUNCHER, chromiumArgs, chromiumPath, DISABLED_FEATURES } from './chromium.mjs';

describe('chromium-launcher.sh', () => {
  it('merges every --disable-features into one at the end and passes the rest unchanged, in order', () => {
    // printf in Chromium's place prints the arguments it was given.
    const r = spawnSync(CHROMIUM_LAUNCHER, ['%s\n', '--headless', '--disable-features=A,B', 'two words', '--disable-features=C', '--x=--disable-features=D'], {
      env: { ...process.env, CHROMIUM_PATH: '/usr/bin/printf' },
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean)).toEqual(['--headless', 'two words', '--x=--disable-features=D', '--disable-features=A,B,C']);
  });

  it('adds no switch when none was given, and refuses to start without CHROMIUM_PATH', () => {
    const r = spawnSync(CHROMIUM_LAUNCHER, ['%s\n', '--headless'], { env: { ...process.env, CHROMIUM_PATH: '/usr/bin/printf' }, encoding: 'utf8' });
    expect(r.stdout).toBe('--headless\n');
    const { CHROMIUM_PATH: _, ...without } = process.env;
    const refused = spawnSync(CHROMIUM_LAUNCHER, ['--headless'], { env: without, encoding: 'utf8' });
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('set by infra/local/chromium.mjs');
  });
});

describe('Chromium as Playwright launches it', () => {
  it('gets one --disable-features holding Playwright\'s list and ours, and builds no address-bar popup for a window', async () => {
    const server = await chromium.launchServer({ executablePath: chromiumPath(), args: chromiumArgs });
    try {
      // Both launchers (ours, then Debian's /usr/bin/chromium) exec: the process id is Chromium's.
      const argv = readFileSync(`/proc/${server.process().pid}/cmdline`, 'utf8').split('\0');
      expect(argv[0]).toMatch(/chromium$/);
      expect(argv).toContain('--remote-debugging-pipe');
      const disabled = argv.filter((a) => a.startsWith('--disable-features='));
      expect(disabled).toHaveLength(1);
      const features = disabled[0].slice('--disable-features='.length).split(',');
      expect(features).toEqual(expect.arrayContaining(DISABLED_FEATURES));
      // Playwright's list (it names no export of it): PaintHolding is the one its screenshots need.
      expect(features).toContain('PaintHolding');

      const browser = await chromium.connect(server.wsEndpoint());
      const page = await (await browser.newContext()).newPage();
      await page.goto('data:text/html,<p>a window</p>');
      const cdp = await browser.newBrowserCDPSession();
      const { targetInfos } = await cdp.send('Target.getTargets', { filter: [{}] });
      const urls = targetInfos.map((t) => t.url);
      expect(urls).toContain('data:text/html,<p>a window</p>');
      expect(urls.filter((u) => u.startsWith('chrome://'))).toEqual([]);
      await browser.close();
    } finally {
      await server.close();
    }
  }, 60_000);

  it('control: without our --disable-features the same window gets the address bar\'s popup pages (chrome:// targets)', async () => {
    const ours = `--disable-features=${DISABLED_FEATURES.join(',')}`;
    const server = await chromium.launchServer({ executablePath: chromiumPath(), args: chromiumArgs.filter((a) => a !== ours) });
    try {
      const browser = await chromium.connect(server.wsEndpoint());
      const page = await (await browser.newContext()).newPage();
      await page.goto('data:text/html,<p>a window</p>');
      const cdp = await browser.newBrowserCDPSession();
      // The popup's pages are made as the window opens; wait for them rather than a time.
      await expect
        .poll(async () => (await cdp.send('Target.getTargets', { filter: [{}] })).targetInfos.map((t) => t.url).filter((u) => u.startsWith('chrome://')), { timeout: 10_000 })
        .not.toEqual([]);
      await browser.close();
    } finally {
      await server.close();
    }
  }, 60_000);
});
