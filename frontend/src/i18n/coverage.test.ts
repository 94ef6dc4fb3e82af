// Every message the real Kratos can send, and every app string, exists in each language.
// kratos-messages.json is read from Kratos v1.3.1's own source (infra/local/kratos-messages.mjs;
// the infra checks fail when it is stale), so a method enabled later is covered already.
import { describe, expect, it } from 'vitest';
import { de } from './de';
import { en } from './en';
import kratos from './kratos-messages.json';

const placeholders = (template: string): string[] => [...template.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]!).sort();

describe('the catalogs cover every id', () => {
  it('reads all of Kratos v1.3.1\'s messages (login, registration, settings incl. TOTP, backup codes, WebAuthn, passkeys, social sign-in; recovery, verification, validation)', () => {
    expect(kratos.source).toContain('github.com/ory/kratos@v1.3.1');
    expect(kratos.messages.length).toBeGreaterThanOrEqual(130);
    for (const id of [4000006, 4000008, 4000012, 1050005, 1050012, 1050019, 1010002, 1070013]) {
      expect(kratos.messages.map((m) => m.id)).toContain(id);
    }
  });

  it('has English for every Kratos id: Kratos\'s own text, or the value it passes through in its context', () => {
    const missing = kratos.messages.filter((m) => !(m.text || m.context.length === 1));
    expect(missing).toEqual([]);
  });

  it('has German for every Kratos id, using only the values Kratos sends with that message', () => {
    const problems: string[] = [];
    for (const m of kratos.messages) {
      const template = (de as Record<string, string>)[String(m.id)];
      if (!template) problems.push(`${m.id} (${m.name}): no German entry`);
      else for (const p of placeholders(template)) if (!m.context.includes(p)) problems.push(`${m.id}: {${p}} is not in its context`);
    }
    expect(problems).toEqual([]);
  });

  it('has German for every message any captured Kratos answer carries (v1.3.1 and newer, fixtures/), with only the context keys that answer sends', () => {
    const answers = import.meta.glob<{ body: unknown }>('../fixtures/**/*.json', { eager: true, import: 'default' });
    const seen = new Map<number, Set<string>>();
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (!node || typeof node !== 'object') return;
      const o = node as Record<string, unknown>;
      if (typeof o.id === 'number' && typeof o.text === 'string') {
        const keys = seen.get(o.id) ?? new Set<string>();
        for (const k of Object.keys((o.context as object | undefined) ?? {})) keys.add(k);
        seen.set(o.id, keys);
      }
      Object.values(o).forEach(walk);
    };
    for (const answer of Object.values(answers)) walk(answer.body);
    expect(seen.size).toBeGreaterThanOrEqual(30);
    const problems: string[] = [];
    for (const [id, keys] of seen) {
      const template = (de as Record<string, string>)[String(id)];
      if (!template) problems.push(`${id}: no German entry`);
      else for (const p of placeholders(template)) if (!keys.has(p) && !kratos.messages.find((m) => m.id === id)?.context.includes(p)) problems.push(`${id}: {${p}} is not sent`);
    }
    expect(problems).toEqual([]);
  });

  it('has no German entry for an id Kratos does not have (a typo would never be shown)', () => {
    const known = new Set(kratos.messages.map((m) => String(m.id)));
    expect(Object.keys(de).filter((k) => /^\d+$/.test(k) && !known.has(k))).toEqual([]);
  });

  it('has German for every app string, with the same {placeholders} as the English', () => {
    const problems = Object.entries(en).flatMap(([id, english]) => {
      const german = (de as Record<string, string>)[id];
      if (!german) return [`${id}: no German entry`];
      return placeholders(german).join() === placeholders(english).join() ? [] : [`${id}: placeholders differ`];
    });
    expect(problems).toEqual([]);
  });
});
