// The early request's code (src/early-inline.ts) as an inline script at the top of every app page.
//
// An inline script runs while the parser reads the page, so the flow request leaves before the
// app's script has come back. As a script file of its own it left only after that file had come
// back and then waited its turn behind the stylesheet's style and layout work: a Chromium trace of
// a cold /login at 40 ms latency had the request leave 100–160 ms later. The file is bundled on
// its own (one IIFE, no imports, minified) and written into each page that loads the app, right
// after the app's module scripts (which never hold the parser: their requests leave a few ms
// earlier than from behind the inline script, whose first run in a fresh page takes ~10 ms) and
// ahead of any stylesheet (a stylesheet before an inline script holds the parser until it has
// arrived). The CSP allows exactly this script by its SHA-256 (build/csp.ts):
// nothing else inline can run. 404.html, which only redirects, does not carry it.
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { build, type Plugin, type ResolvedConfig } from 'vite';

export const EARLY_CHUNK = 'early';

/**
 * The modules the inline script and the app share, with the deep-link restore: one small chunk,
 * which is all that 404.html loads (the app imports it beside its own).
 */
export const EARLY_MODULES = /[\\/]src[\\/](kratos[\\/]early|kratos[\\/]requests|i18n[\\/]preference|framed|config|deep-link|timing)\.ts$/;

const ENTRY = fileURLToPath(new URL('../src/early-inline.ts', import.meta.url));

export interface InlineScript {
  /** The script's text, exactly as it stands between <script> and </script>. */
  code: string;
  /** Its CSP source expression: 'sha256-<base64>'. */
  source: string;
}

export const cspHashSource = (code: string): string => `'sha256-${createHash('sha256').update(code, 'utf8').digest('base64')}'`;

/** src/early-inline.ts as one self-contained script, with the build's base and settings baked in. */
async function bundleEarly(config: ResolvedConfig): Promise<InlineScript> {
  const result = await build({
    configFile: false,
    root: config.root,
    base: config.base,
    mode: config.mode,
    envDir: config.envDir,
    publicDir: false,
    logLevel: 'warn',
    define: config.define,
    plugins: [],
    build: {
      write: false,
      target: config.build.target,
      minify: true,
      lib: { entry: ENTRY, formats: ['iife'], name: 'kratosSpaEarly', fileName: () => 'early-inline.js' },
    },
  });
  const outputs = Array.isArray(result) ? result : [result];
  const chunks = outputs.flatMap((o) => ('output' in o ? o.output : [])).filter((c) => c.type === 'chunk');
  if (chunks.length !== 1) throw new Error(`early inline: expected one chunk, got ${chunks.length}`);
  const code = chunks[0]!.code.trim();
  if (/<\/script|<!--/i.test(code)) throw new Error('early inline: the bundled code contains "</script" or "<!--", which would end the inline script early');
  if (/\bimport\s*\(|\bimport\s*["{*]/.test(code)) throw new Error('early inline: the bundled code imports something; it must be self-contained');
  return { code, source: cspHashSource(code) };
}

/**
 * The plugin that writes the script into the app's pages, and the CSP source that allows it
 * (for cspPlugin, which asks for it before the pages are written).
 */
export function earlyInline(): { plugin: Plugin; scriptSources: () => Promise<string[]> } {
  let config: ResolvedConfig | null = null;
  let bundled: Promise<InlineScript> | null = null;
  const script = (): Promise<InlineScript> => {
    if (!config) throw new Error('early inline: asked before the Vite config was resolved');
    bundled ??= bundleEarly(config);
    return bundled;
  };
  const plugin: Plugin = {
    name: 'kratos-spa-early-inline',
    apply: 'build',
    configResolved(resolved) {
      config = resolved;
    },
    transformIndexHtml: {
      order: 'post',
      async handler(html, ctx) {
        const app = Object.values(ctx.bundle ?? {}).find((c) => c.type === 'chunk' && c.name === 'app');
        if (!app) throw new Error('early inline: no "app" chunk in the bundle');
        // Only the pages whose script is the app (not 404.html, which only redirects).
        if (!html.includes(`src="${config!.base}${app.fileName}"`)) return html;
        // After the module scripts (they never hold the parser, so their requests leave first),
        // before the stylesheet (a stylesheet ahead of an inline script holds the parser).
        const modules = [...html.matchAll(/<script type="module"[^>]*><\/script>/g)];
        const last = modules.at(-1);
        if (!last) throw new Error('early inline: the page has no module script to follow');
        const at = last.index + last[0].length;
        const style = html.search(/<link\b[^>]*\brel="(?:stylesheet|modulepreload)"|<style\b/);
        if (style >= 0 && style < at) throw new Error('early inline: a stylesheet or preload comes before the app\'s scripts');
        const { code } = await script();
        return `${html.slice(0, at)}\n    <script>${code}</script>${html.slice(at)}`;
      },
    },
  };
  return { plugin, scriptSources: async () => [(await script()).source] };
}
