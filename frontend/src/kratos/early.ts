// The page's first Kratos request, sent while the HTML is still being parsed.
//
// `startEarly` runs in a small inline script, the first script of every app page
// (src/early-inline.ts, built and inlined by build/early-entry.ts, allowed by its SHA-256 in the
// CSP): it sends the flow request of the page being opened, so the request, the stylesheet and
// the app's code load side by side instead of one after the other. The answer waits in a slot on
// the window until the flow page takes it over (`takeEarly`); a page that wants anything else
// leaves it. It stays small: only the request table and the settings, no SDK.
import { KRATOS_URL } from '../config';
import { isFramed } from '../framed';
import { markTiming, TIMING_MARKS } from '../timing';
import { isFlowKind, openingRequest, requestUrl, REQUEST_TIMEOUT_MS, type FlowKind, type FlowRequest } from './requests';

const keyOf = (kind: FlowKind, request: FlowRequest): string => `${kind} ${requestUrl('', request)}`;

/** A Kratos answer as the app reads it: its status and its whole body (client.ts parses it). */
export interface EarlyAnswer {
  status: number;
  text: string;
  /** A refusal's (429) wait as sent: Retry-After, else the Gateway's X-RateLimit-Reset (outcome.ts reads it). */
  wait?: string | null;
}

interface Early {
  key: string;
  answer: Promise<EarlyAnswer>;
}

/**
 * Where the inline script leaves the answer for the app's own code (two scripts, one window). A
 * registered symbol: no element id or name can take its place (DOM clobbering), and no
 * other name on the window is touched.
 */
const SLOT = Symbol.for('kratos-spa.early-flow-request');
type WithSlot = { [SLOT]?: Early | null };

/** The flow page `kind` at the address `url` served under `base`, or null if it is not one. */
export function flowPageAt(url: URL, base: string): FlowKind | null {
  if (!url.pathname.startsWith(base)) return null;
  const name = url.pathname.slice(base.length);
  return isFlowKind(name) ? name : null;
}

/** Sends the opening request of the flow page at `win`'s address, if it is one. */
export function startEarly(win: Window, base: string): void {
  const url = new URL(win.location.href);
  const kind = flowPageAt(url, base);
  if (!kind || isFramed(win)) return;
  const request = openingRequest(kind, url.searchParams.get('flow'), url.searchParams);
  // As the SDK sends it (kratos/client.ts): cookies, JSON, the same timeout.
  const answer = win
    .fetch(requestUrl(KRATOS_URL, request), {
      credentials: 'include',
      headers: { Accept: 'application/json' },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    })
    .then(answerOf)
    .then((answered) => {
      markTiming(TIMING_MARKS.flowAnswer, win);
      return answered;
    });
  answer.catch(() => {}); // handled by the page that takes it over
  (win as unknown as WithSlot)[SLOT] = { key: keyOf(kind, request), answer };
}

/**
 * A response's status and whole body (a 204 has none); client.ts reads the SDK's answers with it
 * too. The early request reads its body the moment it arrives: left for the app's code, the body
 * waited in the browser's queue behind the app's evaluation and a first frame (a trace had it
 * finish ~150 ms after its bytes were there); read here, the page that takes it over finds it
 * whole and renders the form in the same task that starts the app, with no frame of an empty page.
 */
export async function answerOf(response: Response): Promise<EarlyAnswer> {
  const { status, headers } = response;
  const text = status === 204 ? '' : await response.text();
  return status === 429 ? { status, text, wait: headers.get('Retry-After') ?? headers.get('X-RateLimit-Reset') } : { status, text };
}

/** The early answer, if it was for exactly this request; given out once. */
export function takeEarly(kind: FlowKind, request: FlowRequest, win: Window = window): Promise<EarlyAnswer> | null {
  const slot = win as unknown as WithSlot;
  const early = slot[SLOT];
  slot[SLOT] = null;
  return early?.key === keyOf(kind, request) ? early.answer : null;
}
