// @vitest-environment node
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deepMerge, forOlderKratos, OPTIONS, REGISTRATION_HOOK_KEY_PLACEHOLDER, registrationHookKeyEnv, renderKratosConfig, resolveFiles, substitute } from './render-config.mjs';

describe('Kratos config rendering', () => {
  it('merges objects, and replaces lists and scalars', () => {
    const base = { a: { b: 1, c: [1, 2] }, d: 'x' };
    expect(deepMerge(base, { a: { c: [3] }, d: 'y', e: true })).toEqual({ a: { b: 1, c: [3] }, d: 'y', e: true });
    expect(base).toEqual({ a: { b: 1, c: [1, 2] }, d: 'x' });
  });

  it('fills ${NAME} everywhere and names every missing value', () => {
    expect(substitute({ u: '${SPA_URL}/login', l: ['${SPA_URL}'] }, { SPA_URL: 'https://a.example' })).toEqual({
      u: 'https://a.example/login',
      l: ['https://a.example'],
    });
    expect(() => substitute({ a: '${A}', b: '${B}' }, { A: '' })).toThrow('no value for ${A}, ${B}');
  });

  it('resolves relative file:// references under kratos/ to absolute URLs or inline base64', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kratos-'));
    mkdirSync(join(dir, 't'));
    writeFileSync(join(dir, 't', 'x.gotmpl'), 'Hi {{ .To }}');
    const config = { body: 'file://t/x.gotmpl', abs: 'file:///etc/x', other: 'https://x' };
    expect(resolveFiles(config, 'absolute', dir)).toEqual({ body: `file://${dir}/t/x.gotmpl`, abs: 'file:///etc/x', other: 'https://x' });
    expect(resolveFiles(config, 'inline', dir).body).toBe('base64://' + Buffer.from('Hi {{ .To }}').toString('base64'));
    expect(() => resolveFiles({ x: 'file://missing.json' }, 'absolute', dir)).toThrow(/x names file:\/\/missing.json/);
    expect(() => resolveFiles({ x: 'file://../escape.json' }, 'absolute', dir)).toThrow(/not a file under/);
  });

  it('renders the real kratos/kratos.yml: every ui_url under the SPA, every template and schema found', () => {
    const config = renderKratosConfig({
      overlay: { dsn: 'memory' },
      vars: { SPA_URL: 'https://auth.example.com', KRATOS_PUBLIC_URL: 'https://kratos.example.com', ADMIN_TOKEN_JWKS_URL: 'file:///etc/keys/admin.json' },
      files: 'inline',
    });
    const flows = config.selfservice.flows;
    for (const name of ['error', 'login', 'registration', 'verification', 'recovery', 'settings']) {
      expect(flows[name].ui_url).toBe(`https://auth.example.com/${name}`);
    }
    expect(config.serve.public.base_url).toBe('https://kratos.example.com/');
    expect(config.identity.schemas[0].url).toMatch(/^base64:\/\//);
    expect(config.session.whoami.tokenizer.templates.admin).toMatchObject({ jwks_url: 'file:///etc/keys/admin.json', claims_mapper_url: expect.stringMatching(/^base64:\/\//) });
    // Only the absolute path given for a mounted key stays a file:// URL; every file of kratos/ is inlined.
    expect(JSON.stringify(config).match(/file:\/\/[^"]*/g)).toEqual(['file:///etc/keys/admin.json']);
    expect(JSON.stringify(config)).not.toContain('${');
  });

  describe('registration web hooks', () => {
    const render = (overlay, registrationHooks) =>
      renderKratosConfig({
        overlay: { dsn: 'memory', ...overlay },
        vars: { SPA_URL: 'https://auth.example.com', KRATOS_PUBLIC_URL: 'https://kratos.example.com', ADMIN_TOKEN_JWKS_URL: 'file:///etc/keys/admin.json' },
        files: 'inline',
        registrationHooks,
      });
    const hooksOf = (config) => Object.fromEntries(Object.entries(config.selfservice.flows.registration.after).map(([m, v]) => [m, v.hooks.map((h) => (h.config?.url === 'https://address-not-proven.invalid/' ? 'address-proven' : h.config?.url ?? h.hook))]));
    const urls = { check: 'https://backend.example/check', notify: 'https://backend.example/educator' };

    it('go first into every method\'s own list (Kratos v1.3.1 skips the method-independent one; an environment variable for place n nulls the places before it), before the refusal of an unproven address and the session hook, also after an overlay replaced a list', () => {
      const proven = 'address-proven';
      const plain = render({}, urls);
      expect(hooksOf(plain)).toEqual({
        code: [urls.check, urls.notify, proven, 'session'],
        oidc: [urls.check, urls.notify, proven, 'session'],
        password: [urls.check, urls.notify, proven],
        passkey: [urls.check, urls.notify, proven],
        webauthn: [urls.check, urls.notify, proven],
      });
      const replaced = render({ selfservice: { flows: { registration: { after: { code: { hooks: [{ hook: 'session' }] } } } } } }, urls);
      expect(hooksOf(replaced).code).toEqual([urls.check, urls.notify, 'session']);
      expect(hooksOf(render({}, {}))).toEqual(hooksOf(renderKratosConfig({ overlay: { dsn: 'memory' }, vars: { SPA_URL: 'https://auth.example.com', KRATOS_PUBLIC_URL: 'https://kratos.example.com', ADMIN_TOKEN_JWKS_URL: 'file:///x' }, files: 'inline' })));
      expect(hooksOf(render({}, { notify: urls.notify })).code).toEqual([urls.notify, proven, 'session']);
    });

    it('refuse, in every sign-up method, an address the sign-up has not proven: a hook that is never sent (can_interrupt, a name that cannot resolve) whose body fails unless the address is verified', () => {
      for (const { hooks } of Object.values(render({}, {}).selfservice.flows.registration.after)) {
        expect(hooks[0]).toMatchObject({ hook: 'web_hook', config: { can_interrupt: true, url: 'https://address-not-proven.invalid/' } });
        const body = Buffer.from(hooks[0].config.body.slice('base64://'.length), 'base64').toString();
        expect(body).toMatch(/if proven then error 'cancel' else error 'address_not_proven: /);
      }
    });

    it('the check may interrupt (it runs before the identity exists); the notification runs in the background and cannot fail a sign-up; bodies are the jsonnet in kratos/hooks', () => {
      const [check, notify] = render({}, urls).selfservice.flows.registration.after.password.hooks;
      expect(check.config).toMatchObject({ method: 'POST', can_interrupt: true, body: expect.stringMatching(/^base64:\/\//) });
      expect(check.config.response).toBeUndefined();
      expect(notify.config).toMatchObject({ method: 'POST', response: { ignore: true }, body: expect.stringMatching(/^base64:\/\//) });
      expect(notify.config.can_interrupt).toBeUndefined();
      expect(Buffer.from(notify.config.body.slice('base64://'.length), 'base64').toString()).toContain("error 'cancel'");
    });

    it('send a profile changed in settings to the check, first, before Kratos saves it (can_interrupt), with what it was; without a check URL, settings keep their own hooks', () => {
      const profile = render({}, urls).selfservice.flows.settings.after.profile.hooks;
      expect(profile.map((h) => h.config?.url ?? h.hook)).toEqual([urls.check, 'https://address-not-proven.invalid/', 'show_verification_ui']);
      expect(profile[0].config).toMatchObject({ method: 'POST', can_interrupt: true, body: expect.stringMatching(/^base64:\/\//) });
      expect(Buffer.from(profile[0].config.body.slice('base64://'.length), 'base64').toString()).toContain("event: 'settings'");
      expect(render({}, { notify: urls.notify }).selfservice.flows.settings.after.profile.hooks.map((h) => h.hook)).toEqual(['web_hook', 'show_verification_ui']);
    });

    it('refuse, in settings, a profile whose address changed: a hook that is never sent, whose body fails unless the e-mail is what it was when the flow began', () => {
      const [refusal] = render({}, {}).selfservice.flows.settings.after.profile.hooks;
      expect(refusal).toMatchObject({ hook: 'web_hook', config: { can_interrupt: true, url: 'https://address-not-proven.invalid/' } });
      const body = Buffer.from(refusal.config.body.slice('base64://'.length), 'base64').toString();
      expect(body).toMatch(/email\(ctx\.identity\) == before then error 'cancel' else error 'address_fixed: /);
    });

    it('never holds the key: each hook has the placeholder, and one environment variable per hook names its place', () => {
      const config = render(OPTIONS.requireVerifiedAddress, urls);
      // Two per sign-up method (check, notify) and the settings check.
      expect(JSON.stringify(config).split(REGISTRATION_HOOK_KEY_PLACEHOLDER)).toHaveLength(12);
      const names = registrationHookKeyEnv(config);
      expect(names).toHaveLength(11);
      expect(names).toContain('SELFSERVICE_FLOWS_REGISTRATION_AFTER_PASSWORD_HOOKS_0_CONFIG_AUTH_CONFIG_PASSWORD');
      expect(names).toContain('SELFSERVICE_FLOWS_REGISTRATION_AFTER_WEBAUTHN_HOOKS_1_CONFIG_AUTH_CONFIG_PASSWORD');
      expect(names).toContain('SELFSERVICE_FLOWS_SETTINGS_AFTER_PROFILE_HOOKS_0_CONFIG_AUTH_CONFIG_PASSWORD');
      expect(registrationHookKeyEnv(render({}, {}))).toEqual([]);
    });
  });
});

describe('kratos/kratos.yml for Kratos v1.3.1 (npm run compat)', () => {
  const config = { version: 'v26.2.0', selfservice: { flows: { settings: { ui_url: 'x', after: { profile: { hooks: [{ hook: 'show_verification_ui' }] } } }, login: { ui_url: 'y' } } } };

  it('takes out only the settings hook v1.3.1 refuses, and says v1.3.1', () => {
    expect(forOlderKratos(config)).toEqual({ version: 'v1.3.1', selfservice: { flows: { settings: { ui_url: 'x' }, login: { ui_url: 'y' } } } });
    expect(config.selfservice.flows.settings.after.profile.hooks).toHaveLength(1); // the input is left as it was
  });

  it('keeps other settings hooks (a web hook after a profile change stays)', () => {
    const withWebHook = deepMerge(config, {});
    withWebHook.selfservice.flows.settings.after.profile.hooks.push({ hook: 'web_hook', config: { url: 'https://h' } });
    expect(forOlderKratos(withWebHook).selfservice.flows.settings.after).toEqual({ profile: { hooks: [{ hook: 'web_hook', config: { url: 'https://h' } }] } });
  });
});
