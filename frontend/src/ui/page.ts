// The frame every page draws into: a heading that takes focus after navigation (so screen
// readers announce the new page), a notice area, and the page's content.
import { t } from '../i18n/catalog';
import { en, type AppMessageId } from '../i18n/en';
import { h, type Child } from './dom';

export interface PageView {
  content: HTMLElement;
  /** Replaces the notices with one (or clears them with null). */
  notice(text: string | null, kind?: 'info' | 'error' | 'success'): void;
  setTitle(title: string): void;
  setBusy(busy: boolean): void;
  replace(...children: Child[]): void;
  /**
   * Shows an error with a "Try again" button (and anything else to offer). With `auto`, it also
   * tries again by itself after a growing delay, until the page is left.
   */
  offerRetry(message: string, retry: () => void, extra?: Child[], auto?: { attempt: number; signal: AbortSignal }): void;
}

/** Delays between automatic retries (ms): quick at first, then every 30 s. */
export const RETRY_DELAYS = [1000, 2000, 4000, 8000, 15_000, 30_000];

function mainElement(): HTMLElement {
  const main = document.getElementById('main');
  if (!main) throw new Error('index.html has no #main element');
  return main;
}

/**
 * Gives the heading focus in the next frame, once the page's content is in: focusing now would
 * make the browser work out the styles of the half-built page at once, only to do it again for
 * the content (on a cold /login that was the biggest single cost of the first render). It does
 * not take focus from anything the person or the page has focused in between.
 */
function focusAfterLayout(heading: HTMLElement): void {
  requestAnimationFrame(() => {
    const active = document.activeElement;
    if (heading.isConnected && (active === null || active === document.body)) heading.focus({ preventScroll: true });
  });
}

export function showPage(title: string): PageView {
  const main = mainElement();
  const heading = h('h1', { attrs: { tabindex: '-1' } }, title);
  const notices = h('div', { class: 'notices', attrs: { 'aria-live': 'polite' } });
  const content = h('div', { class: 'page-content' });
  main.replaceChildren(heading, notices, content);
  main.setAttribute('aria-busy', 'false'); // a page is busy only while it says so (setBusy)
  document.title = `${title} · ${t('app.name')}`;
  focusAfterLayout(heading);
  return {
    content,
    notice(text, kind = 'info') {
      notices.replaceChildren();
      if (text) {
        notices.append(
          h('p', { class: `message message-${kind}`, attrs: { role: kind === 'error' ? 'alert' : 'status' }, data: { testid: `app/notice/${kind}` } }, text),
        );
      }
    },
    setTitle(next) {
      heading.textContent = next;
      document.title = `${next} · ${t('app.name')}`;
    },
    setBusy(busy) {
      main.setAttribute('aria-busy', busy ? 'true' : 'false');
      if (busy) content.replaceChildren(h('p', { class: 'loading' }, t('app.loading')));
    },
    replace(...children) {
      content.replaceChildren();
      for (const c of children) if (c) content.append(c);
    },
    offerRetry(message, retry, extra = [], auto) {
      this.setBusy(false);
      this.notice(message, 'error');
      let timer: ReturnType<typeof setTimeout> | undefined;
      const now = () => {
        clearTimeout(timer);
        retry();
      };
      const button = h('button', { class: 'button', attrs: { type: 'button' }, data: { testid: 'app/retry' }, on: { click: now } }, t('app.retry'));
      let countdown: HTMLElement | null = null;
      if (auto && !auto.signal.aborted) {
        const delay = RETRY_DELAYS[Math.min(auto.attempt, RETRY_DELAYS.length - 1)]!;
        countdown = h('p', { class: 'muted', data: { testid: 'app/retry-countdown' } }, t('app.retry.auto', { seconds: Math.round(delay / 1000) }));
        timer = setTimeout(() => {
          if (!auto.signal.aborted) retry();
        }, delay);
        auto.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
      }
      this.replace(h('p', {}, button), countdown, ...extra);
    },
  };
}

/** What to tell the user when Kratos could not be reached (or answered without JSON). */
export function unreachableMessage(err: { status?: number }): string {
  return err.status ? t('app.network.unexpected', { status: err.status }) : t('app.network.unreachable');
}

/** A notice id carried in history.state by the page that navigated here (see router). */
export function noticeFromState(state: unknown): AppMessageId | null {
  if (typeof state === 'object' && state !== null && 'notice' in state) {
    const notice = (state as { notice: unknown }).notice;
    if (typeof notice === 'string' && Object.hasOwn(en, notice)) return notice as AppMessageId;
  }
  return null;
}

/** A link a person taps to go somewhere in the app (44 px high on a phone: .nav-link). */
export function link(href: string, text: string, testid?: string): HTMLAnchorElement {
  return h('a', { class: 'nav-link', attrs: { href }, data: testid ? { testid } : {} }, text);
}
