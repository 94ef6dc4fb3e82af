// Security review of the shipped configuration, as tests (issue 7; SECURITY.md explains why).
// Where it can, it asks the real Kratos running the production config; otherwise it reads the
// rendered production values and the local overlay.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ensureBinary } from '../local/binaries.mjs';
import { localOverlay } from '../local/kratos.mjs';
import { ROOT } from '../local/paths.mjs';
import { stackSettings } from '../local/settings.mjs';
import { readEnvironment, readNamespace } from '../render-production.mjs';
import { bootRendered, renderCluster } from './charts.mjs';

const values = (name) => parse(readFileSync(join(ROOT, 'infra', 'k8s', 'generated', `${name}-values.yaml`), 'utf8'));
const kratos = values('kratos').kratos.config;
const oathkeeper = values('oathkeeper').oathkeeper.config;
const env = readEnvironment();
const tools = {};
const scratch = [];
let cluster;

beforeAll(async () => {
  for (const name of ['helm', 'kustomize', 'kratos', 'oathkeeper']) tools[name] = await ensureBinary(name);
  cluster = renderCluster(tools, join(ROOT, 'infra', 'k8s'), tempDir());
});

afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'security-'));
  scratch.push(dir);
  return dir;
}

/** Boots production as the charts render it and asks `probe` of its Kratos public API. */
function askRenderedKratos(probe) {
  return bootRendered({
    tools,
    kratosObjects: cluster.charts.kratos.objects,
    oathkeeperObjects: cluster.charts.oathkeeper.objects,
    env,
    namespace: readNamespace(),
    scratch: tempDir(),
    probe: ({ kratosPublic }) => probe({ public: kratosPublic }),
  });
}

/**
 * Secrets a file must never hold, by its name or its content: a URI with a password (databases,
 * SMTP, Redis, AMQP), a PEM private key, a private JWK ("d"), or a key or environment file at all.
 * A password of "…" (the README's placeholder) is not one.
 */
export function secretFindings(file, text) {
  const found = [];
  const name = file.split('/').pop();
  if (/^\.env(\..+)?$/.test(name) && !/\.(example|sample)$/.test(name)) found.push(`${file}: an environment file`);
  if (/\.(pem|key|p12|pfx)$/.test(name) || /^id_(rsa|ecdsa|ed25519)$/.test(name)) found.push(`${file}: a key file`);
  const uri = /\b(postgres(?:ql)?|mysql|cockroach|smtps?|redis|rediss|amqps?|mongodb(?:\+srv)?):\/\/[^:\s/@'"]+:([^@\s'"]+)@/g;
  for (const m of text.matchAll(uri)) if (m[2] !== '…' && m[2] !== '...') found.push(`${file}: a ${m[1]}:// URI with a password`);
  if (/-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/.test(text)) found.push(`${file}: a PEM private key`);
  if (/"d"\s*:\s*"[A-Za-z0-9_-]{20,}"/.test(text)) found.push(`${file}: a private JWK`);
  return found;
}

/** Parses one Set-Cookie header into { name, attributes (lower-cased) }. */
function cookie(header) {
  const [pair, ...attrs] = header.split(';').map((s) => s.trim());
  return {
    name: pair.slice(0, pair.indexOf('=')),
    attributes: Object.fromEntries(attrs.map((a) => a.split('=')).map(([k, v]) => [k.toLowerCase(), v ?? true])),
  };
}

describe('cookies (the real Kratos, booted as the rendered charts run it)', () => {
  it('sets its CSRF cookie Secure, HttpOnly, SameSite=Lax, for the cookie domain, on every path', async () => {
    const seen = {};
    await askRenderedKratos(async (k) => {
      const res = await fetch(`${k.public}/self-service/login/browser`, { headers: { Accept: 'application/json' } });
      Object.assign(seen, cookie(res.headers.getSetCookie().find((c) => c.startsWith('csrf_token_'))));
    });
    expect(seen.attributes).toMatchObject({ secure: true, httponly: true, samesite: 'Lax', domain: env.cookieDomain, path: '/' });
  });

  it('configures the session cookie the same way: SameSite=Lax on the cookie domain (Kratos always sets it Secure and HttpOnly outside --dev)', () => {
    expect(kratos.session.cookie).toMatchObject({ name: 'ory_kratos_session', same_site: 'Lax', domain: env.cookieDomain });
    expect(kratos.cookies).toMatchObject({ same_site: 'Lax', domain: env.cookieDomain });
    expect(values('kratos').kratos.development).not.toBe(true); // --dev would drop Secure
  });
});

describe('CORS and return URLs', () => {
  it('Kratos allows exactly the SPA\'s origin, with credentials and without a wildcard (asked of the real Kratos)', async () => {
    const answers = {};
    await askRenderedKratos(async (k) => {
      for (const origin of [env.spa, 'https://evil.example', `${env.spa}.evil.example`, 'null']) {
        const res = await fetch(`${k.public}/sessions/whoami`, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'GET' } });
        answers[origin] = res.headers.get('access-control-allow-origin');
      }
    });
    expect(answers).toEqual({ [env.spa]: env.spa, 'https://evil.example': null, [`${env.spa}.evil.example`]: null, null: null });
    expect(kratos.serve.public.cors).toMatchObject({ enabled: true, allow_credentials: true, allowed_origins: [env.spa] });
  });

  it('Oathkeeper\'s proxy allows exactly the SPA\'s origin, with credentials', () => {
    expect(oathkeeper.serve.proxy.cors).toMatchObject({ enabled: true, allow_credentials: true, allowed_origins: [env.spa] });
    expect(JSON.stringify(oathkeeper.serve.proxy.cors)).not.toContain('*');
  });

  it('allowed_return_urls are exactly the SPA and the API, as https origins without wildcards', () => {
    expect(kratos.selfservice.allowed_return_urls).toEqual([`${env.spa}/`, `${env.api}/`]);
    for (const url of kratos.selfservice.allowed_return_urls) expect(url).toMatch(/^https:\/\/[a-z0-9.-]+\/$/);
  });
});

describe('sessions, passwords, logs', () => {
  it('sets the session lifespan and the privileged-session age explicitly, and bounded', () => {
    expect(kratos.session.lifespan).toBe('24h');
    expect(kratos.selfservice.flows.settings.privileged_session_max_age).toBe('15m');
    expect(kratos.selfservice.flows.settings.required_aal).toBe('highest_available');
    expect(kratos.session.whoami.required_aal).toBe('highest_available');
  });

  it('checks passwords against haveibeenpwned in production, and not on the offline local stack', () => {
    expect(kratos.selfservice.methods.password.config).toMatchObject({ haveibeenpwned_enabled: true, min_password_length: 8 });
    expect(kratos.hashers).toBeUndefined(); // Kratos's default bcrypt cost 12; the local stack's cost 4 stays local
    const local = localOverlay(stackSettings('dev'), { cookie: ['x'], cipher: ['y'] });
    expect(local.selfservice.methods.password.config.haveibeenpwned_enabled).toBe(false);
  });

  it('does not log sensitive values in production', () => {
    expect(kratos.log).toMatchObject({ leak_sensitive_values: false, format: 'json' });
  });
});

describe('what is exposed, and where secrets live', () => {
  it('routes no admin API but through the admin-token check: no HTTPRoute reaches Kratos admin or Oathkeeper\'s API port, and only the admin-* rules lead to Kratos admin, each behind the jwt authenticator and the role authorizer', () => {
    const routes = readFileSync(join(ROOT, 'infra', 'k8s', 'generated', 'httproutes.yaml'), 'utf8');
    expect(routes).not.toMatch(/kratos-admin|oathkeeper-api|4434|4456/);
    const rules = JSON.parse(values('oathkeeper').oathkeeper.accessRules);
    const toKratosAdmin = rules.filter((r) => /\/\/kratos-admin\./.test(r.upstream?.url ?? ''));
    expect(toKratosAdmin.map((r) => r.id).sort()).toEqual(['admin-courier', 'admin-identities', 'admin-identity', 'admin-identity-create', 'admin-identity-sessions', 'admin-recovery', 'admin-session']);
    for (const r of toKratosAdmin) {
      expect(r.authenticators, r.id).toEqual([{ handler: 'jwt' }]);
      // The role authorizer; a rule may only name the query parameters it takes (its own X-Forwarded-Uri).
      expect(r.authorizer.handler, r.id).toBe('remote_json');
      expect(Object.keys(r.authorizer.config?.headers ?? {}).filter((h) => h !== 'X-Forwarded-Uri'), r.id).toEqual([]);
      expect(Object.keys(r.authorizer.config ?? {}).filter((k) => k !== 'headers'), r.id).toEqual([]);
    }
    for (const r of rules.filter((x) => !toKratosAdmin.includes(x))) expect(r.upstream?.url ?? '', r.id).not.toMatch(/admin|4434|4456/);
    // The role rules answer only the decision API: no upstream, and not the API host.
    for (const r of rules.filter((x) => x.id.startsWith('role-'))) {
      expect(r.upstream, r.id).toBeUndefined();
      expect(r.match.url, r.id).not.toContain(new URL(env.api).host);
    }
    expect(oathkeeper.authenticators.jwt.config).toMatchObject({ trusted_issuers: [`${env.kratos}/`], target_audience: ['kratos-spa-admin'], allowed_algorithms: ['RS256'] });
    expect(oathkeeper.authorizers.remote_json.config.remote).toMatch(/^http:\/\/127\.0\.0\.1:4456\/decisions\//);
    expect(kratos.session.whoami.tokenizer.templates.admin.ttl).toBe('2m');
    expect(kratos.serve.admin.base_url).toMatch(/\.svc\.cluster\.local\//);
  });

  it('Oathkeeper answers API callers in JSON without details, and sends only browsers to sign in', () => {
    expect(oathkeeper.errors.handlers.json.config.verbose).toBe(false);
    expect(oathkeeper.errors.handlers.redirect.config).toMatchObject({
      to: `${env.spa}/login`,
      when: [{ error: ['unauthorized', 'forbidden'], request: { header: { accept: ['text/html'] } } }],
    });
  });

  it('keeps every secret value out of git: no DSN or SMTP URI with a password, private key or key file in any tracked file', () => {
    const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
    expect(tracked.length).toBeGreaterThan(100);
    const findings = tracked.flatMap((file) => {
      const buffer = readFileSync(join(ROOT, file));
      // Binary files (screenshots) are read as text too: a key pasted into one would still show.
      return secretFindings(file, buffer.toString('utf8'));
    });
    expect(findings).toEqual([]);
    expect(kratos.dsn).toBeUndefined();
    expect(kratos.secrets).toBeUndefined();
  });

  it('finds each kind of secret it promises to (the scan is real)', () => {
    // Put together here, so that this file itself holds none of them.
    const withPassword = (scheme, rest) => `${scheme}://user:${'hunter2'}@${rest}`;
    const samples = {
      'config/app.yaml': `dsn: ${withPassword('postgres', 'db:5432/kratos')}`,
      'infra/mail.mjs': `const uri = '${withPassword('smtps', 'smtp.example.com:465/')}';`,
      'x/redis.ts': `REDIS=${withPassword('redis', 'cache:6379')}`,
      'keys/readme.md': ['-----BEGIN', 'RSA PRIVATE KEY-----', '\nMIIE…'].join(' '),
      'jwks.json': '{"keys":[{"kty":"RSA","d":"' + 'A'.repeat(40) + '"}]}',
      '.env': 'NOTHING=here',
      'deploy/tls.pem': 'no content needed',
      'ops/id_ed25519': 'no content needed',
    };
    const found = Object.entries(samples).map(([file, text]) => [file, secretFindings(file, text).length > 0]);
    expect(Object.fromEntries(found)).toEqual(Object.fromEntries(Object.keys(samples).map((f) => [f, true])));
    // …and not what only looks close: a URI without a password, a public key, a placeholder.
    expect(secretFindings('README.md', 'postgres://kratos@db:5432/kratos smtps://user:…@smtp.example.com:465/ -----BEGIN PUBLIC KEY-----')).toEqual([]);
  });
});
