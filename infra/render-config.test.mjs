// @vitest-environment node
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deepMerge, renderKratosConfig, resolveFiles, substitute } from './render-config.mjs';

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
});
