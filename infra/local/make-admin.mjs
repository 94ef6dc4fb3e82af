#!/usr/bin/env node
// Gives an identity the admin role (or takes it away): "admin" in its public metadata's roles,
// which people cannot edit themselves (only Kratos's admin API writes metadata). Kratos's
// admin-token claims mapper (kratos/admin-token.jsonnet) reads it; the gateway lets only that
// role through to the admin API (oathkeeper/access-rules.yml, admin-*).
//
//   npm run make-admin -- ada@example.com            the local stack (npm start)
//   npm run make-admin -- ada@example.com --remove
//   KRATOS_ADMIN_URL=http://127.0.0.1:4434 npm run make-admin -- ada@example.com
//     any Kratos admin API, e.g. production's through
//     kubectl -n <namespace> port-forward svc/kratos-admin 4434:80 (README, Administration)
import { stackSettings } from './settings.mjs';

/**
 * @param {string} adminUrl  Kratos's admin API, e.g. http://127.0.0.1:4434
 * @param {string} identifier  what the person signs in with (their e-mail address)
 * @param {{ remove?: boolean }} [options]
 * @returns {Promise<{ id: string, roles: string[] }>}
 */
export async function setAdminRole(adminUrl, identifier, { remove = false } = {}) {
  const base = adminUrl.replace(/\/+$/, '');
  const found = await fetch(`${base}/admin/identities?credentials_identifier=${encodeURIComponent(identifier)}`, { headers: { Accept: 'application/json' } });
  if (!found.ok) throw new Error(`Kratos's admin API at ${base} answered ${found.status}: ${await found.text()}`);
  const [identity, ...more] = await found.json();
  if (!identity) throw new Error(`No identity signs in with ${identifier}. Sign up first (or create it on /admin), then run this again.`);
  if (more.length) throw new Error(`${more.length + 1} identities sign in with ${identifier}; give the role on /admin instead.`);
  const metadata = identity.metadata_public && typeof identity.metadata_public === 'object' && !Array.isArray(identity.metadata_public) ? identity.metadata_public : {};
  const roles = Array.isArray(metadata.roles) ? metadata.roles.filter((r) => r !== 'admin') : [];
  if (!remove) roles.push('admin');
  const patched = await fetch(`${base}/admin/identities/${identity.id}`, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify([{ op: 'add', path: '/metadata_public', value: { ...metadata, roles } }]),
  });
  if (!patched.ok) throw new Error(`Changing ${identifier}'s metadata: ${patched.status} ${await patched.text()}`);
  return { id: identity.id, roles };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const remove = args.includes('--remove');
  const [identifier, ...rest] = args.filter((a) => a !== '--remove');
  if (!identifier || rest.length) {
    console.error('usage: npm run make-admin -- <e-mail address> [--remove]   (KRATOS_ADMIN_URL: another Kratos admin API)');
    process.exit(2);
  }
  const adminUrl = process.env.KRATOS_ADMIN_URL || stackSettings('dev').urls.kratosAdmin;
  try {
    const { id, roles } = await setAdminRole(adminUrl, identifier, { remove });
    console.log(`${identifier} (${id}) ${remove ? 'is no longer an admin' : 'is an admin'}; roles: ${JSON.stringify(roles)}. It takes effect with the next admin token (at most 2 minutes), and only in a session signed in with a second factor (an authenticator app, a security key or backup codes: set one up in Account settings).`);
  } catch (err) {
    console.error(err.cause?.code === 'ECONNREFUSED' ? `Kratos's admin API at ${adminUrl} is not reachable: start the stack (npm start) or set KRATOS_ADMIN_URL.` : err.message);
    process.exit(1);
  }
}
