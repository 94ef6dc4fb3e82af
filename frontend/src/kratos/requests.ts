// The flow requests as data: which Kratos path creates or fetches each flow, and which of the
// page's query parameters go with it. Free of the SDK, so that the early entry (kratos/early.ts)
// can send the page's first request before the app's code has arrived; kratos/flows.ts sends
// every other one through the SDK, built from the same table.

export type FlowKind = 'login' | 'registration' | 'recovery' | 'verification' | 'settings';

export const REQUEST_TIMEOUT_MS = 15_000;

/** A GET on Kratos's public API; query values that are undefined are left out. */
export interface FlowRequest {
  path: string;
  query: Record<string, string | undefined>;
}

interface FlowRequests {
  /** Query parameters of the page that are passed on when a flow is created. */
  createParams: readonly string[];
  create(params: URLSearchParams): FlowRequest;
  get(id: string): FlowRequest;
}

const opt = (params: URLSearchParams, name: string): string | undefined => params.get(name) ?? undefined;

/** Create with `return_to` only, fetch by id: recovery, verification and settings. */
const plain = (kind: FlowKind): FlowRequests => ({
  createParams: ['return_to'],
  create: (p) => ({ path: `/self-service/${kind}/browser`, query: { return_to: opt(p, 'return_to') } }),
  get: (id) => ({ path: `/self-service/${kind}/flows`, query: { id } }),
});

export const FLOW_REQUESTS: Record<FlowKind, FlowRequests> = {
  login: {
    createParams: ['return_to', 'refresh', 'aal', 'login_challenge', 'organization', 'via'],
    create: (p) => ({
      path: '/self-service/login/browser',
      query: {
        return_to: opt(p, 'return_to'),
        refresh: p.get('refresh') === 'true' ? 'true' : undefined,
        aal: opt(p, 'aal'),
        login_challenge: opt(p, 'login_challenge'),
        organization: opt(p, 'organization'),
        via: opt(p, 'via'),
      },
    }),
    get: (id) => ({ path: '/self-service/login/flows', query: { id } }),
  },
  registration: {
    createParams: ['return_to', 'login_challenge', 'after_verification_return_to', 'organization'],
    create: (p) => ({
      path: '/self-service/registration/browser',
      query: {
        return_to: opt(p, 'return_to'),
        login_challenge: opt(p, 'login_challenge'),
        after_verification_return_to: opt(p, 'after_verification_return_to'),
        organization: opt(p, 'organization'),
      },
    }),
    get: (id) => ({ path: '/self-service/registration/flows', query: { id } }),
  },
  recovery: plain('recovery'),
  verification: plain('verification'),
  settings: plain('settings'),
};

export function isFlowKind(name: string): name is FlowKind {
  return Object.hasOwn(FLOW_REQUESTS, name);
}

/** The page's own parameters that creating a flow of `kind` passes on. */
export function createParamsOf(kind: FlowKind, pageQuery: URLSearchParams): URLSearchParams {
  const params = new URLSearchParams();
  for (const name of FLOW_REQUESTS[kind].createParams) {
    const v = pageQuery.get(name);
    if (v !== null) params.set(name, v);
  }
  return params;
}

/** The request that opens a flow page: fetch flow `id`, or create one from the page's parameters. */
export function openingRequest(kind: FlowKind, id: string | null, pageQuery: URLSearchParams): FlowRequest {
  return id ? FLOW_REQUESTS[kind].get(id) : FLOW_REQUESTS[kind].create(createParamsOf(kind, pageQuery));
}

/** The request's URL under Kratos's public URL `base`, as the SDK would build it. */
export function requestUrl(base: string, request: FlowRequest): string {
  const query = Object.entries(request.query)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  return `${base}${request.path}${query ? `?${query}` : ''}`;
}
