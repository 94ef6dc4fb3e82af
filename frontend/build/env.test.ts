// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { BuildConfigError, parseApiUrl, parseBasePath, parseKratosHost } from './env';

describe('VITE_KRATOS_HOST', () => {
  it.each([
    ['https://auth.example.com', 'https://auth.example.com'],
    ['https://auth.example.com/', 'https://auth.example.com'],
    ['  https://example.com/.ory/kratos/public/  ', 'https://example.com/.ory/kratos/public'],
    ['http://127.0.0.1:4433', 'http://127.0.0.1:4433'],
    ['http://localhost:4433/', 'http://localhost:4433'],
    ['http://[::1]:4433', 'http://[::1]:4433'],
  ])('accepts %j as %j', (raw, expected) => {
    expect(parseKratosHost(raw)).toBe(expected);
  });

  it.each([
    [undefined, /is not set/],
    ['', /is not set/],
    ['   ', /is not set/],
    ['auth.example.com', /not an absolute URL/],
    ['/kratos', /not an absolute URL/],
    ['ftp://auth.example.com', /must use https/],
    ['javascript:alert(1)', /must use https/],
    ['http://auth.example.com', /http:\/\/ for a host other than this machine/],
    ['https://user:pw@auth.example.com', /contains credentials/],
    ['https://auth.example.com/?x=1', /must not have a query or fragment/],
    ['https://auth.example.com/#x', /must not have a query or fragment/],
    ['https://auth.example.com/?', /must not have a query or fragment/],
  ])('rejects %j with a message that says why', (raw, message) => {
    expect(() => parseKratosHost(raw)).toThrow(BuildConfigError);
    expect(() => parseKratosHost(raw)).toThrow(message);
  });
});

describe('VITE_API_URL', () => {
  it('is optional: unset or blank means the app calls no API', () => {
    expect(parseApiUrl(undefined)).toBe('');
    expect(parseApiUrl('  ')).toBe('');
  });

  it('is checked like VITE_KRATOS_HOST, naming itself in the message', () => {
    expect(parseApiUrl('https://api.example.com/')).toBe('https://api.example.com');
    expect(() => parseApiUrl('http://api.example.com')).toThrow(/^VITE_API_URL="http:\/\/api.example.com" uses http:\/\//);
    expect(() => parseApiUrl('api.example.com')).toThrow(/VITE_API_URL=.*not an absolute URL/);
  });
});

describe('SPA_BASE_PATH', () => {
  it.each([
    [undefined, '/'],
    ['', '/'],
    ['/', '/'],
    ['repo', '/repo/'],
    ['/repo', '/repo/'],
    ['/repo/', '/repo/'],
    ['/a/b/', '/a/b/'],
  ])('reads %j as %j', (raw, expected) => {
    expect(parseBasePath(raw)).toBe(expected);
  });

  it.each(['/a b/', '/a?b/', 'https://x.example/repo/', '/a//b/', '/<x>/'])('rejects %j', (raw) => {
    expect(() => parseBasePath(raw)).toThrow(/not a plain path/);
  });
});
