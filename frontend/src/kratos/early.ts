// The page's first Kratos request, sent before the app's code has arrived.
//
// A second entry (build/early-entry.ts puts it first in every HTML page as an `async` module,
// which neither waits for the document's styles nor for the app's modules): when it runs it
// sends the flow request of the page being opened, so the request and the rest of the app's
// code load side by side instead of one after the other. The flow page takes the answer over
// (`takeEarly`); a page that wants anything else drops it. It stays small: only the request
// table and the settings, no SDK.
import { BASE_PATH, KRATOS_URL } from '../config';
import { isFramed } from '../framed';
import { isFlowKind, openingRequest, requestUrl, REQUEST_TIMEOUT_MS, type FlowKind, type FlowRequest } from './requests';

const keyOf = (kind: FlowKind, request: FlowRequest): string => `${kind} ${requestUrl('', request)}`;

let early: { key: string; response: Promise<Response> } | null = null;

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
  const response = win.fetch(requestUrl(KRATOS_URL, request), {
    credentials: 'include',
    headers: { Accept: 'application/json' },
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  response.catch(() => {}); // handled by the page that takes it over
  early = { key: keyOf(kind, request), response };
}

/** The early answer, if it was for exactly this request; given out once. */
export function takeEarly(kind: FlowKind, request: FlowRequest): Promise<Response> | null {
  const taken = early?.key === keyOf(kind, request) ? early.response : null;
  early = null;
  return taken;
}

startEarly(window, BASE_PATH);
