// Reads every UI message Kratos can send (id, English text, context keys) from the source of
// the pinned Kratos (v26.2.0's released source; its ids include every one of v1.3.1's) and writes frontend/src/i18n/kratos-messages.json: the English
// reference a translator works from, and the list the catalog test checks every language
// against. Kratos's own source is the only source; nothing here is typed by hand.
//
//   node infra/local/kratos-messages.mjs          write the file
//   node infra/local/kratos-messages.mjs --check  fail when the committed file is stale
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PINNED, releasedSource } from './binaries.mjs';
import { ROOT } from './paths.mjs';

export const OUTPUT = join(ROOT, 'frontend', 'src', 'i18n', 'kratos-messages.json');

/** The text/ folder of the pinned Kratos's released source (unpacked once into the cache). */
export async function kratosTextDir() {
  return join(await releasedSource('kratos'), 'text');
}

/** Name → numeric id, from the `const ( X ID = 1010000 + iota ... )` blocks of id.go. */
export function parseIds(source) {
  const ids = new Map();
  for (const block of source.matchAll(/const \(([\s\S]*?)\n\)/g)) {
    let next = null;
    for (const raw of block[1].split('\n')) {
      const line = raw.replace(/\/\/.*$/, '').trim();
      if (!line) continue;
      const first = /^(\w+)\s+ID\s*=\s*(\d+)(\s*\+\s*iota)?$/.exec(line);
      if (first) {
        ids.set(first[1], Number(first[2]));
        next = Number(first[2]) + 1;
      } else if (/^\w+$/.test(line) && next !== null) {
        ids.set(line, next++);
      }
    }
  }
  return ids;
}

const STRING = String.raw`"(?:[^"\\]|\\.)*"`;

/** A Go string expression: "a" or "a" + "b" (across lines), or fmt.Sprintf("a %s", …). */
function goString(expr) {
  const concat = new RegExp(String.raw`^(${STRING}(?:\s*\+\s*${STRING})*)`).exec(expr);
  if (concat) return [...concat[1].matchAll(new RegExp(STRING, 'g'))].map((m) => JSON.parse(m[0])).join('');
  const sprintf = new RegExp(String.raw`^fmt\.Sprintf\(\s*(${STRING})`).exec(expr);
  return sprintf ? JSON.parse(sprintf[1]) : null;
}

/**
 * The `&Message{ ID: …, Text: …, Context: … }` literals of a message_*.go file. Where Text is a
 * variable, its first assignment in the same function gives the English (e.g. `reason :=
 * fmt.Sprintf(…)`); a parameter (a reason or a secret Kratos passes through) gives null.
 */
export function parseMessages(source) {
  const out = [];
  for (const fn of source.split(/\nfunc /).slice(1)) {
    for (const m of fn.matchAll(/&Message\{([\s\S]*?)\n\t\}/g)) {
      const body = m[1];
      const id = /\bID:\s+(\w+)/.exec(body)?.[1];
      if (!id) continue;
      const expr = /\bText:\s+([\s\S]*?),\s*(?:\n|$)/.exec(body)?.[1].trim() ?? '';
      let text = goString(expr);
      if (text === null && /^\w+$/.test(expr)) {
        const assigned = new RegExp(String.raw`\b${expr}\s*:?=\s*([^\n]+)`).exec(fn.slice(0, m.index));
        text = assigned ? goString(assigned[1].trim()) : null;
      }
      const entries = [...(/Context:\s*context\(map\[string\]any\{([\s\S]*?)\}\)/.exec(body)?.[1] ?? '').matchAll(/"(\w+)":\s*([^,\n]+)/g)];
      const context = entries.map((c) => c[1]);
      // A text that is a parameter Kratos also sends in the context (a schema title): which key.
      const passThrough = text === null ? entries.find((c) => c[2].trim() === expr)?.[1] : undefined;
      out.push(passThrough ? { name: id, text, context, passThrough } : { name: id, text, context });
    }
  }
  return out;
}

export function extract(dir) {
  const ids = parseIds(readFileSync(join(dir, 'id.go'), 'utf8'));
  const byId = new Map();
  for (const file of readdirSync(dir).filter((f) => /^message_\w+\.go$/.test(f) && !f.endsWith('_test.go')).sort()) {
    for (const msg of parseMessages(readFileSync(join(dir, file), 'utf8'))) {
      const id = ids.get(msg.name);
      if (id === undefined) throw new Error(`${file}: ${msg.name} is not in id.go`);
      // One id can have several constructors (e.g. with and without hints): keep every context key.
      const seen = byId.get(id);
      if (seen) {
        seen.context = [...new Set([...seen.context, ...msg.context])];
        seen.text ??= msg.text;
        if (msg.passThrough) seen.passThrough ??= msg.passThrough;
      } else {
        byId.set(id, { id, ...msg });
      }
    }
  }
  return {
    source: `Ory Kratos ${PINNED.kratos.version} (released source, sha256 ${PINNED.kratos.source.sha256.slice(0, 12)}…) text/*.go (by infra/local/kratos-messages.mjs)`,
    // `text` is Kratos's English (a Go format string where Kratos fills values in; null where
    // the whole text is a value, e.g. a reason or a secret). `context` lists the values Kratos
    // sends with the message, which a translation may use as {name}; `passThrough`, where the text
    // is one of those values, which.
    messages: [...byId.values()].sort((a, b) => a.id - b.id),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const text = `${JSON.stringify(extract(await kratosTextDir()), null, 2)}\n`;
  if (process.argv.includes('--check')) {
    if (!existsSync(OUTPUT) || readFileSync(OUTPUT, 'utf8') !== text) {
      console.error(`${OUTPUT} is stale: run node infra/local/kratos-messages.mjs`);
      process.exit(1);
    }
  } else {
    writeFileSync(OUTPUT, text);
    console.log(`wrote ${OUTPUT}`);
  }
}
