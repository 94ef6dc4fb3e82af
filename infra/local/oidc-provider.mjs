// A real OpenID Provider on loopback for social sign-in (issue 6): panva's certified
// oidc-provider, with its development login page (any login name, any password). What the
// login name is decides the claims, so tests can pick the case they need:
//   ada@example.com      → sub, email (verified), given_name "ada"
//   noemail-<anything>   → sub only: Kratos has no e-mail and asks for it (registration form)
import { createServer } from 'node:http';
import Provider from 'oidc-provider';
import { listen } from './processes.mjs';

export const OIDC_CLIENT = { id: 'kratos-local', secret: 'local-only-oidc-client-secret' };
export const OIDC_PROVIDER_ID = 'local-idp';

export function claimsFor(loginName) {
  if (loginName.startsWith('noemail-')) return { sub: loginName };
  return { sub: loginName, email: loginName, email_verified: true, given_name: loginName.split('@')[0] };
}

/** @returns {Promise<{ issuer: string, stop(): Promise<void> }>} */
/** `issuer` is the URL browsers and Kratos use (localhost); it listens on `host` only. */
export async function startOidcProvider({ host, port, issuer, redirectUri }) {
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: OIDC_CLIENT.id,
        client_secret: OIDC_CLIENT.secret,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['given_name'] },
    findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => claimsFor(sub) }),
    features: { devInteractions: { enabled: true } },
    // Kratos's generic provider reads the claims from the ID token: put the scopes' claims there.
    conformIdTokenClaims: false,
    cookies: { keys: ['local-only-oidc-cookie-key'] },
    // The person is asked for nothing but a login: the grant for Kratos is given at once.
    loadExistingGrant: async (ctx) => {
      const grant = new provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  provider.on('server_error', (_ctx, err) => console.error(`OpenID Provider: ${err.message}`));
  const server = createServer(provider.callback());
  await listen(server, port, host, 'OpenID Provider');
  return { issuer, stop: () => new Promise((r) => server.close(() => r())) };
}
