// @vitest-environment node
// The demo API's CSRF rule for a cookie-authenticated API (csrfRefusal), request by request.
import { describe, expect, it } from 'vitest';
import { csrfRefusal } from './demo-api.mjs';

const SPA = 'https://id.example.com';
const ask = (method, headers) => csrfRefusal({ method, headers }, [SPA])?.error ?? 'allowed';

describe('csrfRefusal: state changes only as JSON from the SPA', () => {
  it('lets reads through whatever their origin', () => {
    expect(ask('GET', { origin: 'https://evil.example' })).toBe('allowed');
    expect(ask('HEAD', {})).toBe('allowed');
  });

  it('accepts a JSON POST from the SPA\'s origin, or same-origin when the browser sends no Origin', () => {
    expect(ask('POST', { 'content-type': 'application/json', origin: SPA })).toBe('allowed');
    expect(ask('PATCH', { 'content-type': 'application/json; charset=utf-8', origin: SPA })).toBe('allowed');
    expect(ask('POST', { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' })).toBe('allowed');
  });

  it('refuses what a form or a simple cross-site fetch can send: urlencoded, multipart, text/plain, no type', () => {
    for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain', undefined]) {
      expect(ask('POST', { 'content-type': type, origin: SPA }), String(type)).toBe('json_required');
    }
  });

  it('refuses JSON from another origin, a sibling host under the cookie domain included, and JSON without any origin', () => {
    expect(ask('POST', { 'content-type': 'application/json', origin: 'https://status.id.example.com' })).toBe('origin_not_allowed');
    expect(ask('DELETE', { 'content-type': 'application/json', origin: 'null' })).toBe('origin_not_allowed');
    expect(ask('POST', { 'content-type': 'application/json', 'sec-fetch-site': 'same-site' })).toBe('origin_required');
    expect(ask('POST', { 'content-type': 'application/json' })).toBe('origin_required');
  });
});
