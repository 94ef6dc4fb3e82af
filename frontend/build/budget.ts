// What a visitor downloads before a page can show: the HTML, then every script, module preload
// and stylesheet it names (dynamic imports are not counted: they load on demand). Used by the
// size budget test and by the benchmark script, so both count the same bytes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const BUDGET = {
  /** Initial JavaScript for /login, gzipped. */
  loginJs: 20 * 1024,
  /** Everything /login needs before it shows (HTML, CSS, JS), gzipped. */
  loginTotal: 30 * 1024,
};

export interface Asset {
  file: string;
  kind: 'html' | 'js' | 'css';
  gzip: number;
  /** A script written into the HTML file, not a file of its own. */
  inline?: true;
}

const gzipSize = (bytes: Buffer): number => gzipSync(bytes, { level: 9 }).length;

/** The text of each inline script (`<script>` without attributes) of a built page, in order. */
export const inlineScripts = (html: string): string[] => [...html.matchAll(/<script>([^]*?)<\/script>/g)].map((m) => m[1]!);

/** The text of each inline stylesheet (`<style>` without attributes) of a built page, in order. */
export const inlineStyles = (html: string): string[] => [...html.matchAll(/<style>([^]*?)<\/style>/g)].map((m) => m[1]!);

/**
 * The assets an HTML file of the build loads at once, itself first. Its inline scripts count as
 * JS and its inline stylesheets as CSS (and, being in the file, in the HTML's size too).
 */
export function initialAssets(outDir: string, html: string, base = '/'): Asset[] {
  const text = readFileSync(join(outDir, html));
  const assets: Asset[] = [{ file: html, kind: 'html', gzip: gzipSize(text) }];
  for (const [i, code] of inlineScripts(text.toString('utf8')).entries()) {
    assets.push({ file: `${html} (inline script ${i + 1})`, kind: 'js', gzip: gzipSize(Buffer.from(code)), inline: true });
  }
  for (const [i, css] of inlineStyles(text.toString('utf8')).entries()) {
    assets.push({ file: `${html} (inline stylesheet ${i + 1})`, kind: 'css', gzip: gzipSize(Buffer.from(css)), inline: true });
  }
  const refs = text.toString('utf8').matchAll(/<(?:script[^>]*\ssrc|link[^>]*\srel="(?:modulepreload|stylesheet)"[^>]*\shref)="([^"]+)"/g);
  for (const [, url] of refs) {
    const file = url!.startsWith(base) ? url!.slice(base.length) : url!;
    const bytes = readFileSync(join(outDir, file));
    assets.push({ file, kind: file.endsWith('.css') ? 'css' : 'js', gzip: gzipSize(bytes) });
  }
  return assets;
}

/**
 * /login as a visitor opens it from a link or a bookmark: GitHub Pages serves login.html (the
 * build emits one per route, build/route-pages.ts), so that page and what it names are all.
 */
export function loginAssets(outDir: string, base = '/'): Asset[] {
  return initialAssets(outDir, 'login.html', base);
}

export const total = (assets: Asset[], kind?: Asset['kind']): number =>
  assets.filter((a) => !kind || a.kind === kind).reduce((sum, a) => sum + a.gzip, 0);
