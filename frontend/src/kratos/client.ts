// The app's only connection to Kratos: @ory/client-fetch's runtime configured for browser flows.
//
// The SDK's FrontendApi is one class of some 40 endpoints (no bundler can drop the unused ones:
// about 5 KB gzipped of /login's 20 KB budget). The app calls a dozen of them, all plain GETs
// or a form post, so it uses the SDK's BaseAPI runtime (credentials, headers, ResponseError)
// and its models and types directly, and names the paths here.
//
// Every call goes through `call()`, which gives back the status and the parsed JSON body
// whatever the status: Kratos answers with a flow on 400, an error on 4xx, a redirect on 422,
// and the app decides what each means (outcome.ts). A network failure, a timeout or a body
// that is not JSON raise KratosUnreachable.
import {
  BaseAPI,
  Configuration,
  FetchError,
  ResponseError,
  type ApiResponse,
} from '@ory/client-fetch';
import { KRATOS_URL } from '../config';
import { answerOf, type EarlyAnswer } from './early';
import { REQUEST_TIMEOUT_MS } from './requests';

const configuration = new Configuration({
  basePath: KRATOS_URL,
  credentials: 'include',
  // JSON in, JSON out: Kratos then answers browser flows with JSON instead of redirects.
  headers: { Accept: 'application/json' },
});

export { REQUEST_TIMEOUT_MS } from './requests';

export interface KratosReply {
  status: number;
  body: unknown;
  /** A refusal's (429) wait, as sent (early.ts answerOf). */
  wait?: string | null;
}

export class KratosUnreachable extends Error {
  constructor(
    message: string,
    /** HTTP status when Kratos answered with something that was not JSON (e.g. a proxy's 502 page). */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'KratosUnreachable';
  }
}

/** Request options for an SDK call: the route's abort signal plus a timeout. */
export function requestInit(signal: AbortSignal): RequestInit {
  return { signal: AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]) };
}

function parseBody({ status, text, wait }: EarlyAnswer): KratosReply {
  // A refusal to take more requests (the Gateway's rate limit) is an answer whatever its body
  // (Envoy sends plain text): outcome.ts says how long to wait.
  if (status === 429) return { status, body: null, wait: wait ?? null };
  if (text === '') return { status, body: null };
  try {
    return { status, body: JSON.parse(text) as unknown };
  } catch {
    throw new KratosUnreachable(`Kratos answered HTTP ${status} without JSON`, status);
  }
}

/**
 * What fetch threw, as the app reads it: a navigation's abort is passed on as it is (the caller
 * drops it); a timeout or a network error means Kratos is out of reach.
 */
function fetchFailure(cause: Error): Error {
  if (cause.name === 'AbortError') return cause;
  return new KratosUnreachable(cause.name === 'TimeoutError' ? 'request timed out' : cause.message);
}

/** Runs a raw SDK call; see the module comment. */
export async function call(request: () => Promise<ApiResponse<unknown> | Response>): Promise<KratosReply> {
  let response: Response;
  try {
    const result = await request();
    response = result instanceof Response ? result : result.raw;
  } catch (err) {
    if (err instanceof ResponseError) response = err.response;
    else if (err instanceof FetchError) throw fetchFailure(err.cause); // the SDK wraps what fetch threw
    else throw err;
  }
  return parseBody(await answerOf(response));
}

/** Reads the early request's answer (kratos/early.ts) as `call` reads the SDK's. */
export async function reply(answer: Promise<EarlyAnswer>): Promise<KratosReply> {
  let answered: EarlyAnswer;
  try {
    answered = await answer;
  } catch (err) {
    // It rejects only when the request failed: a network error, an abort or a timeout.
    throw err instanceof Error ? fetchFailure(err) : err;
  }
  return parseBody(answered);
}

/** The part of Kratos's public API that the app uses. */
class KratosApi extends BaseAPI {
  /** GET a path of Kratos's public API; query values that are undefined are left out. */
  get(path: string, query: Record<string, string | undefined>, init: RequestInit): Promise<Response> {
    const defined = Object.fromEntries(Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined));
    return this.request({ path, method: 'GET', headers: {}, query: defined }, init);
  }

  /** DELETE a path of Kratos's public API (signing out one's own sessions). */
  delete(path: string, init: RequestInit): Promise<Response> {
    return this.request({ path, method: 'DELETE', headers: {} }, init);
  }

  /**
   * Submits a flow's form. The generated update*Flow methods serialise through per-method
   * whitelists that drop any field the SDK does not know; the form Kratos describes in
   * `ui.nodes` is the contract, so it is posted as it is.
   */
  submit(action: string, method: string, body: Record<string, unknown>, init: RequestInit): Promise<Response> {
    const url = new URL(action);
    const base = new URL(KRATOS_URL);
    const basePath = base.pathname.replace(/\/$/, '');
    if (url.origin !== base.origin || !url.pathname.startsWith(basePath + '/')) {
      throw new KratosUnreachable(`not Kratos (${KRATOS_URL}): ${url.origin}${url.pathname}`);
    }
    const verb = method.toUpperCase() === 'GET' ? 'GET' : 'POST';
    return this.request(
      {
        path: url.pathname.slice(basePath.length),
        method: verb,
        headers: verb === 'POST' ? { 'Content-Type': 'application/json' } : {},
        query: Object.fromEntries(url.searchParams),
        body: verb === 'POST' ? body : undefined,
      },
      init,
    );
  }
}

export const kratos = new KratosApi(configuration);
