// The app's stylesheet, written into each page as one <style> instead of a <link> to a file.
//
// A linked stylesheet holds the first paint until it has arrived, and it arrived with the app's
// scripts: Chromium then painted the page frame (index.html's placeholder) and only afterwards ran
// the app, so the first paint's style, layout and raster work (50–80 ms on a cold page) sat
// between the app's arrival and the form. Inline, the frame paints as soon as the HTML is parsed,
// while the scripts and Kratos's answer are still on their way; one request fewer, too. Measured
// on a cold /login against the real Kratos (30 interleaved visits): first paint 116 → 88 ms at
// 0 ms latency and 200 → 140 ms at 40 ms; the form painted 284 → 268 ms at 40 ms.
//
// The CSP allows exactly this stylesheet by its SHA-256 (build/csp.ts); no other inline style and
// no style attribute is allowed. The file itself is left out of the build: nothing links it.
import type { Plugin, ResolvedConfig, Rollup } from 'vite';

type OutputBundle = Rollup.OutputBundle;
type OutputAsset = Rollup.OutputAsset;
import { cspHashSource } from './early-entry.ts';

const LINK = /<link rel="stylesheet"(?: crossorigin)? href="([^"]+)">/g;

const text = (asset: OutputAsset): string => (typeof asset.source === 'string' ? asset.source : Buffer.from(asset.source).toString('utf8'));

/** The stylesheets of the build (each CSS asset), as written into the pages. */
function stylesheets(bundle: OutputBundle): Map<string, string> {
  const sheets = new Map<string, string>();
  for (const item of Object.values(bundle)) {
    if (item.type !== 'asset' || !item.fileName.endsWith('.css')) continue;
    const css = text(item);
    if (/<\/style/i.test(css)) throw new Error(`inline style: ${item.fileName} contains "</style", which would end the <style> early`);
    sheets.set(item.fileName, css);
  }
  return sheets;
}

/** The plugin, and the CSP sources ('sha256-…') of the stylesheets it writes into the pages. */
export function inlineStyle(): { plugin: Plugin; styleSources: (bundle: OutputBundle | undefined) => string[] } {
  let base = '/';
  const inlined = new Set<string>();
  const plugin: Plugin = {
    name: 'kratos-spa-inline-style',
    apply: 'build',
    enforce: 'post',
    configResolved(config: ResolvedConfig) {
      base = config.base;
    },
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        if (!ctx.bundle) return html;
        const sheets = stylesheets(ctx.bundle);
        return html.replace(LINK, (tag, href: string) => {
          const file = href.startsWith(base) ? href.slice(base.length) : href;
          const css = sheets.get(file);
          if (css === undefined) throw new Error(`inline style: ${href} is not a stylesheet of this build`);
          inlined.add(file);
          return `<style>${css}</style>`;
        });
      },
    },
    generateBundle(_options, bundle) {
      // Written into every page that used it; a script that still names it (a lazy page's
      // preload list) keeps it.
      const named = (file: string) => Object.values(bundle).some((item) => item.type === 'chunk' && item.code.includes(file));
      for (const file of inlined) if (!named(file)) delete bundle[file];
    },
  };
  return { plugin, styleSources: (bundle) => (bundle ? [...stylesheets(bundle).values()].map(cspHashSource) : []) };
}
