// `npm start`: builds what is missing, starts the local stack, prints where everything is,
// and stops it all on Ctrl-C (or when any part dies, saying which and why).
import { relative } from 'node:path';
import { deepMerge, LOGIN_STYLES, OPTIONS } from '../render-config.mjs';
import { BuildError } from './binaries.mjs';
import { ROOT } from './paths.mjs';
import { startStack } from './stack.mjs';

let stack = null;
let stopping = false;

async function shutdown(code, message) {
  if (stopping) return;
  stopping = true;
  if (message) console.error(`\n${message}\n`);
  if (stack) {
    console.log('Stopping the local stack…');
    await stack.stop();
  }
  process.exit(code);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

console.log('Starting the local stack (Kratos, Oathkeeper, OpenID Provider, demo API, mail sink, SPA) on 127.0.0.1…');
try {
  const requireVerified = process.env.KRATOS_REQUIRE_VERIFIED_ADDRESS === 'true';
  if (requireVerified) console.log('  KRATOS_REQUIRE_VERIFIED_ADDRESS=true: password sign-in needs a verified address');
  const loginStyle = process.env.KRATOS_LOGIN_STYLE || 'unified';
  if (!Object.hasOwn(LOGIN_STYLES, loginStyle)) throw new Error(`KRATOS_LOGIN_STYLE=${loginStyle}: use ${Object.keys(LOGIN_STYLES).join(' or ')}.`);
  if (loginStyle === 'identifier_first') console.log('  KRATOS_LOGIN_STYLE=identifier_first: sign-in asks for the identifier first');
  stack = await startStack('dev', {
    onFailure: (err) => void shutdown(1, err.message),
    kratosOverlay: deepMerge(requireVerified ? OPTIONS.requireVerifiedAddress : {}, LOGIN_STYLES[loginStyle]),
  });
} catch (err) {
  await shutdown(1, err instanceof BuildError || err instanceof Error ? err.message : String(err));
}

if (stack && !stopping) {
  const { urls, dataDir, database, ports } = stack.settings;
  console.log(`
  Open the app:      ${urls.spa}/
  Read your e-mail:  ${urls.mailUi}/
  API via Oathkeeper: ${urls.api}/api/private/me   (JWKS: ${urls.oathkeeperApi}/.well-known/jwks.json)
  OpenID Provider:   ${urls.oidcProvider}/   ("Sign in with local-idp": any login name and password)
  Sign-up web hooks: ${urls.hookReceiver}/hooks/received   (what Kratos told your backend; @blocked.example is refused)
  Kratos public API: ${urls.kratosPublic}/
  Kratos admin API:  ${urls.kratosAdmin}/   (local only, never expose it)
  Kratos database:   ${database === 'postgres' ? `PostgreSQL on 127.0.0.1:${ports.postgres} (KRATOS_DB=postgres)` : 'SQLite (KRATOS_DB=postgres for PostgreSQL)'}
  Data and logs:     ${relative(ROOT, dataDir) || dataDir}/

  Use localhost in the browser, not 127.0.0.1: Kratos's cookies belong to one host name, and
  security keys and passkeys need a domain.
  Press Ctrl-C to stop.
`);
}
