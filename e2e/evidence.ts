// What a failed test leaves in the run's printed output, for a failure where nobody can open the
// trace (a CI run keeps only what it printed): where each page of the test was and what it showed,
// and what the stack's Kratos logged while the test ran — requests that failed, were refused or
// were slow, and its warnings and errors. Both workers share one Kratos, so the log lines are
// those of the test's time window, not only of its own requests. The browser's side is there too:
// the requests the pages sent (to Kratos and between the app's pages) with what came back, and
// the console's errors and warnings, so a click that sent nothing and an answer that was refused
// look different.
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

/** At most this many lines of the browser's side: the last ones, nearest the failure. */
const MAX_BROWSER_LINES = 40;

/** A request as the journal says it: Playwright's `request.method()`, `url()`, `resourceType()`. */
export interface RequestSeen {
  method: string;
  url: string;
  type: string;
}

/** Document loads, fetches and XHRs count; scripts, styles, fonts and images say little. */
const counts = (r: RequestSeen): boolean => r.type === 'document' || r.type === 'fetch' || r.type === 'xhr';

/** What a test's pages sent and said, as lines with the seconds since the test started. */
export class BrowserJournal {
  private readonly lines: string[] = [];
  private dropped = 0;
  /** Requests sent and not answered yet (keyed by Playwright's Request), with when they left. */
  private readonly pending = new Map<object, { seen: RequestSeen; at: number }>();

  constructor(
    private readonly started: number,
    private readonly now: () => number = Date.now,
  ) {}

  private stamp(at: number): string {
    return `+${((at - this.started) / 1000).toFixed(1)}s`;
  }

  private add(text: string): void {
    this.lines.push(`${this.stamp(this.now())} ${text}`);
    if (this.lines.length > MAX_BROWSER_LINES) {
      this.lines.shift();
      this.dropped += 1;
    }
  }

  sent(key: object, seen: RequestSeen): void {
    if (counts(seen)) this.pending.set(key, { seen, at: this.now() });
  }

  /** A request `sent` earlier ended: with its status, or with why it failed. */
  ended(key: object, status: number | string): void {
    const sent = this.pending.get(key);
    if (!sent) return; // not one that counts
    this.pending.delete(key);
    this.add(requestLine(sent.seen, status));
  }

  console(type: string, text: string): void {
    if (type === 'error' || type === 'warning') this.add(`console ${type}: ${text.slice(0, 300)}`);
  }

  /** Its lines, then the requests still waiting for an answer. */
  said(): string {
    const waiting = [...this.pending.values()].map(({ seen, at }) => `${this.stamp(at)} ${requestLine(seen, 'no answer yet')}`);
    const all = [...(this.dropped ? [`(${this.dropped} earlier lines left out)`] : []), ...this.lines, ...waiting];
    return all.join('\n') || '(nothing)';
  }
}

/** `POST localhost:14433/self-service/login?flow=… → 400`: host and path, with a long query cut. */
export function requestLine(seen: RequestSeen, status: number | string): string {
  const u = new URL(seen.url);
  const query = u.search.length > 80 ? `${u.search.slice(0, 80)}…` : u.search;
  return `${seen.method} ${u.host}${u.pathname}${query} → ${status}`;
}
