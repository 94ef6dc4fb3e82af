// What an answer from Kratos means, decided in one place (shared/reference §1.3–1.4):
//
//   body has `ui`                      → a flow to show (any status: 200, or 400 with messages)
//   error browser_location_change_required → the browser must go to redirect_browser_to
//   body has `error`                   → an error, with use_flow_id / redirect_browser_to if given
//   2xx otherwise                      → done (login/registration success, logout)
//   429                                → limited: too many requests (the Gateway's rate limit),
//                                        with how long to wait
import type { ContinueWith, GenericError } from '@ory/client-fetch';
import type { KratosReply } from './client';
import type { Flow } from './flows';

export type Outcome =
  | { type: 'flow'; status: number; flow: Flow; continueWith: ContinueWith[] }
  | { type: 'done'; status: number; continueWith: ContinueWith[] }
  | { type: 'redirect'; status: number; to: string }
  | { type: 'limited'; status: 429; seconds: number }
  | {
      type: 'error';
      status: number;
      error: GenericError;
      /** 410 self_service_flow_expired / flow_replaced: the flow to continue on. */
      useFlowId: string | null;
      /** e.g. session_aal2_required, session_refresh_required: where Kratos wants the browser. */
      redirectTo: string | null;
      /**
       * Kratos would not take the return_to it was given: not on its allow-list
       * (self_service_flow_return_to_forbidden), or not a URL at all (400 without an id, reason
       * "Unable to parse the return_to query parameter…"). Going on without it is the way out.
       */
      returnToRefused: boolean;
      /**
       * What Kratos says to do next, inside the error (newer Kratos: require_verified_address
       * answers 403 session_verified_address_required with the verification flow it started).
       */
      continueWith: ContinueWith[];
    };

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** What Kratos says to do next, as it sent it (like flows, see flows.ts: no SDK converter). */
function continueWith(body: Json): ContinueWith[] {
  return Array.isArray(body.continue_with) ? (body.continue_with.filter(isObject) as unknown as ContinueWith[]) : [];
}

/**
 * @param flowFromJSON how to read a flow body; without it (calls that never answer with a
 *   flow, such as whoami) a flow body is not expected and is treated as an error.
 */
/** The wait a limit asks for when it names none: the limits count per minute (environment.yml rate_limits). */
export const DEFAULT_WAIT_SECONDS = 60;

/**
 * Seconds to wait, from Retry-After (seconds, or an HTTP date) or X-RateLimit-Reset (seconds):
 * at least 1, at most an hour; the default when absent or unreadable.
 */
export function waitSeconds(wait: string | null | undefined, now: number = Date.now()): number {
  const text = (wait ?? '').trim();
  const numeric = /^[+-]?\d+$/.test(text);
  let seconds = numeric && !text.startsWith('-') ? Number(text) : NaN;
  if (!numeric && text !== '') {
    const at = Date.parse(text);
    if (!Number.isNaN(at)) seconds = Math.ceil((at - now) / 1000);
  }
  if (Number.isNaN(seconds)) return DEFAULT_WAIT_SECONDS;
  return Math.min(3600, Math.max(1, seconds));
}

export function classify(reply: KratosReply, flowFromJSON?: (json: unknown) => Flow): Outcome {
  const { status, body } = reply;
  if (status === 429) return { type: 'limited', status, seconds: waitSeconds(reply.wait) };
  if (flowFromJSON && isObject(body) && isObject(body.ui)) {
    return { type: 'flow', status, flow: flowFromJSON(body), continueWith: continueWith(body) };
  }
  if (isObject(body) && isObject(body.error)) {
    const error = body.error as unknown as GenericError;
    const details = isObject(error.details) ? error.details : {};
    const redirectTo = str(body.redirect_browser_to) ?? str(details.redirect_browser_to);
    if (error.id === 'browser_location_change_required' && redirectTo) {
      return { type: 'redirect', status, to: redirectTo };
    }
    const returnToRefused =
      error.id === 'self_service_flow_return_to_forbidden' ||
      (status === 400 && !error.id && /^Unable to parse the return_to query parameter/.test(error.reason ?? ''));
    return {
      type: 'error',
      status,
      error,
      useFlowId: str(body.use_flow_id) ?? str(details.use_flow_id),
      redirectTo,
      returnToRefused,
      continueWith: continueWith(details),
    };
  }
  if (status >= 200 && status < 300) {
    const b = isObject(body) ? body : {};
    return { type: 'done', status, continueWith: continueWith(b) };
  }
  return {
    type: 'error',
    status,
    error: { code: status, message: `HTTP ${status}` },
    useFlowId: null,
    redirectTo: null,
    returnToRefused: false,
    continueWith: [],
  };
}
