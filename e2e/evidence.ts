// What a failed test leaves in the run's printed output, for a failure where nobody can open the
// trace (a CI run keeps only what it printed): where each page of the test was and what it showed,
// and what the stack's Kratos logged while the test ran — requests that failed, were refused or
// were slow, and its warnings and errors. Both workers share one Kratos, so the log lines are
// those of the test's time window, not only of its own requests.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from '@playwright/test';
import { stackSettings } from '../infra/local/settings.mjs';

/** A request this slow is worth a line even when it succeeded. */
const SLOW_MS = 500;
/** At most this many log lines: the first ones of the window say most. */
const MAX_LINES = 60;

function millis(took: string): number {
  const m = /^([\d.]+)(ns|µs|us|ms|s|m)$/.exec(took);
  if (!m) return NaN;
  const scale: Record<string, number> = { ns: 1e-6, µs: 1e-3, us: 1e-3, ms: 1, s: 1000, m: 60_000 };
  return Number(m[1]) * scale[m[2]!]!;
}

/**
 * One line of Kratos's text log in a few words, or null when it says nothing about a failure:
 * `POST /self-service/login → 400 in 12 ms`, or `error: <msg>: <error message>`.
 */
export function kratosLogLine(line: string): string | null {
  const time = /^time=(\S+)/.exec(line)?.[1] ?? '?';
  const level = /\blevel=(\w+)/.exec(line)?.[1];
  if (line.includes('msg=completed handling request')) {
    // The request's own fields, not a header such as access-control-request-method.
    const [, method, path] = / method:(\w+) path:(\S+)/.exec(line) ?? [];
    const status = Number(/ status:(\d+) text_status:/.exec(line)?.[1]);
    const took = /\btook:([\d.]+(?:ns|µs|us|ms|s|m))/.exec(line)?.[1] ?? '';
    const ms = millis(took);
    const worth = method === 'POST' || status >= 400 || ms >= SLOW_MS;
    return worth ? `${time} ${method} ${path} → ${status} in ${Number.isNaN(ms) ? took : `${Math.round(ms)} ms`}` : null;
  }
  if (level === 'error' || level === 'warning' || level === 'fatal') {
    const msg = /\bmsg=(.*?)(?= \w+=|$)/.exec(line)?.[1] ?? '';
    const error = /\berror=map\[message:([^\]]*)/.exec(line)?.[1];
    return `${time} ${level}: ${msg}${error ? `: ${error}` : ''}`.slice(0, 300);
  }
  return null;
}

/** Kratos's log lines (every replica's) from `from` to `to`, as kratosLogLine says them. */
export function kratosLogDuring(from: Date, to: Date, logDir = join(stackSettings('test').dataDir, 'logs')): string[] {
  // The log's times have whole seconds: widen the window to them.
  const start = Math.floor(from.getTime() / 1000) * 1000;
  const end = Math.ceil(to.getTime() / 1000) * 1000;
  const lines: string[] = [];
  let files: string[];
  try {
    files = readdirSync(logDir).filter((f) => /^kratos.*\.log$/.test(f));
  } catch {
    return [`(no Kratos log in ${logDir})`];
  }
  for (const file of files) {
    for (const line of readFileSync(join(logDir, file), 'utf8').split('\n')) {
      const at = Date.parse(/^time=(\S+)/.exec(line)?.[1] ?? '');
      if (!(at >= start && at <= end)) continue;
      const said = kratosLogLine(line);
      if (said) lines.push(files.length > 1 ? `${file}: ${said}` : said);
    }
  }
  return lines.length > MAX_LINES ? [...lines.slice(0, MAX_LINES), `(${lines.length - MAX_LINES} more)`] : lines;
}

/** Each open page of `contexts`: its address and its main region as the accessibility tree has it. */
export async function pagesNow(contexts: BrowserContext[]): Promise<string> {
  const parts: string[] = [];
  for (const page of contexts.flatMap((c) => c.pages())) {
    if (page.isClosed()) continue;
    const shown = await page
      .locator('main')
      .ariaSnapshot({ timeout: 2000 })
      .catch((err: Error) => `(no snapshot: ${err.message.split('\n')[0]})`);
    parts.push(`${page.url()}\n${shown.slice(0, 3000)}`);
  }
  return parts.join('\n\n') || '(no page open)';
}
