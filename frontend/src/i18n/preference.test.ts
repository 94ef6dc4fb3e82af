import { afterEach, describe, expect, it } from 'vitest';
import { decideLanguage, preferredLanguage, STORAGE_KEY } from './preference';

const SLOT = Symbol.for('kratos-spa.language');

afterEach(() => {
  localStorage.clear();
  delete (window as unknown as Record<symbol, unknown>)[SLOT];
  document.documentElement.dir = 'ltr';
});

describe('choosing the language', () => {
  it('takes the visitor\'s stored choice first', () => {
    expect(preferredLanguage('de', ['en-US'])).toBe('de');
  });

  it('else the first browser language it has, by its base ("de-AT" is German)', () => {
    expect(preferredLanguage(null, ['ja', 'de-AT', 'en'])).toBe('de');
    expect(preferredLanguage(null, ['en-GB', 'de'])).toBe('en');
  });

  it('matches a browser tag exactly, else by its language: pt-BR and pt-PT get Brazilian Portuguese, fr-CA French', () => {
    expect(preferredLanguage(null, ['pt-BR'])).toBe('pt-BR');
    expect(preferredLanguage(null, ['pt-pt', 'en'])).toBe('pt-BR');
    expect(preferredLanguage(null, ['fr-CA'])).toBe('fr');
    expect(preferredLanguage(null, ['ar-EG'])).toBe('ar');
    expect(preferredLanguage('es', ['ar'])).toBe('es');
  });

  it('else English; a stored value that is no language of ours is ignored', () => {
    expect(preferredLanguage(null, ['ja', 'zh-CN'])).toBe('en');
    expect(preferredLanguage('xx', [])).toBe('en');
    expect(preferredLanguage('__proto__', [])).toBe('en');
  });
});

describe('deciding once per page (the early script first, the app after it)', () => {
  it('decides from the stored choice and turns the document right to left for Arabic, before any catalog is there', () => {
    localStorage.setItem(STORAGE_KEY, 'ar');
    expect(decideLanguage(window)).toBe('ar');
    expect(document.documentElement.dir).toBe('rtl');
  });

  it('gives the app the early script\'s decision without reading the storage again', () => {
    localStorage.setItem(STORAGE_KEY, 'de');
    expect(decideLanguage(window)).toBe('de');
    localStorage.setItem(STORAGE_KEY, 'fr');
    expect(decideLanguage(window)).toBe('de');
  });

  it('decides again where the slot holds something that is not one of its languages', () => {
    (window as unknown as Record<symbol, unknown>)[SLOT] = '<img src=x>';
    document.documentElement.dir = 'rtl';
    localStorage.setItem(STORAGE_KEY, 'es');
    expect(decideLanguage(window)).toBe('es');
    expect(document.documentElement.dir).toBe('ltr');
  });
});
