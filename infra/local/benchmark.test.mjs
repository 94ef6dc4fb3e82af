// The benchmark's count of sequential requests (a script's arithmetic, checked here).
import { describe, expect, it } from 'vitest';
import { criticalPath } from './benchmark.mjs';

const req = (start, end, type = 'script') => ({ start, end, type });

describe('criticalPath', () => {
  it('counts the longest chain of requests each started after the one before finished', () => {
    // page → (app, flow request side by side) → nothing else: two in a row.
    expect(criticalPath([req(0, 10, 'document'), req(11, 30), req(12, 25, 'fetch')], 40, 50)).toBe(2);
    // page → app → flow request: three.
    expect(criticalPath([req(0, 10, 'document'), req(11, 30), req(31, 45, 'fetch')], 46, 50)).toBe(3);
  });

  it('leaves out requests started once the form was in the DOM (the form did not wait for them), those that end after it was painted, and the tab icon', () => {
    const page = [req(0, 10, 'document'), req(11, 30)];
    expect(criticalPath([...page, req(41, 44)], 40, 50)).toBe(2); // started after the form was there
    expect(criticalPath([...page, req(31, 60)], 40, 50)).toBe(2); // ended after the paint
    expect(criticalPath([...page, req(31, 35, 'other')], 40, 50)).toBe(2); // favicon
    expect(criticalPath([...page, req(31, 35)], 40, 50)).toBe(3);
  });
});
