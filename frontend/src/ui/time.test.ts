// Dates and times on phones: one unbreakable piece (review finding 23: "12:12 / AM").
import { describe, expect, it } from 'vitest';
import { formatTime } from './time';

describe('formatTime', () => {
  it('gives a date and time with no place a line can break', () => {
    const text = formatTime(new Date('2026-12-07T00:12:00Z'));
    expect(text).toMatch(/12/);
    expect(text).not.toMatch(/[ \t\n]/);
  });

  it('says "—" for a missing or broken date', () => {
    expect(formatTime(undefined)).toBe('—');
    expect(formatTime(new Date('not a date'))).toBe('—');
  });
});
