// Every message the real Kratos can send, and every app string, exists in each language.
// kratos-messages.json is read from Kratos v1.3.1's own source (infra/local/kratos-messages.mjs;
// the infra checks fail when it is stale), so a method enabled later is covered already.
import { describe, expect, it } from 'vitest';
import { adminAr } from './admin-ar';
import { adminDe } from './admin-de';
import { adminEn } from './admin-en';
import { adminEs } from './admin-es';
import { adminFr } from './admin-fr';
import { adminPtBR } from './admin-pt-br';
import { ar } from './ar';
import { de } from './de';
import { en } from './en';
import { es } from './es';
import { fr } from './fr';
import kratos from './kratos-messages.json';
import { LANGUAGES } from './preference';
import { ptBR } from './pt-br';

const kratosIds = new Set(kratos.messages.map((m) => m.id));

/** Every language but English (Kratos's own text and en.ts), with its app and admin catalogs. */
const TRANSLATIONS: Record<string, { app: Record<string, string>; admin: Record<string, string> }> = {
  German: { app: de, admin: adminDe },
  French: { app: fr, admin: adminFr },
  Spanish: { app: es, admin: adminEs },
  'Brazilian Portuguese': { app: ptBR, admin: adminPtBR },
  Arabic: { app: ar, admin: adminAr },
};

const placeholders = (template: string): string[] => [...template.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]!).sort();

/** Every message id in the captured Kratos answers, with the context keys they came with. */
function seenInAnswers(): Map<number, Set<string>> {
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
  return seen;
}

describe('the catalogs cover every id', () => {
  it('finds the messages of the captured answers (at least 30 ids), and the local sign-up check\'s own id among them', () => {
    const seen = seenInAnswers();
    expect(seen.size).toBeGreaterThanOrEqual(30);
    // infra/local/hook-receiver.mjs BLOCKED_DOMAIN_MESSAGE_ID: not one of Kratos's.
    expect(seen.has(4900001)).toBe(true);
    expect(kratosIds.has(4900001)).toBe(false);
  });

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

  it('has a catalog for every language the menu lists', () => {
    expect(Object.keys(LANGUAGES)).toHaveLength(Object.keys(TRANSLATIONS).length + 1);
  });

  for (const [language, { app, admin }] of Object.entries(TRANSLATIONS)) {
    it(`has ${language} for every Kratos id, using only the values Kratos sends with that message`, () => {
      const problems: string[] = [];
      for (const m of kratos.messages) {
        const template = app[String(m.id)];
        if (!template) problems.push(`${m.id} (${m.name}): no ${language} entry`);
        else for (const p of placeholders(template)) if (!m.context.includes(p)) problems.push(`${m.id}: {${p}} is not in its context`);
      }
      expect(problems).toEqual([]);
    });

    it(`has ${language} for every Kratos message a captured answer carries (v1.3.1 and newer, fixtures/), with only the context keys that answer sends`, () => {
      const problems: string[] = [];
      for (const [id, keys] of seenInAnswers()) {
        // A web hook's own message (an id outside Kratos's) comes written in the person's language
        // by the backend that sent it, and is shown as it came.
        if (!kratosIds.has(id)) continue;
        const template = app[String(id)];
        if (!template) problems.push(`${id}: no ${language} entry`);
        else for (const p of placeholders(template)) if (!keys.has(p) && !kratos.messages.find((m) => m.id === id)?.context.includes(p)) problems.push(`${id}: {${p}} is not sent`);
      }
      expect(problems).toEqual([]);
    });

    it(`has no ${language} entry for an id Kratos does not have (a typo would never be shown)`, () => {
      const known = new Set(kratos.messages.map((m) => String(m.id)));
      expect(Object.keys(app).filter((k) => /^\d+$/.test(k) && !known.has(k))).toEqual([]);
    });

    it(`has ${language} for every app and admin string, with the same {placeholders} as the English, and no English left in it`, () => {
      const problems = [...Object.entries(en).map(([id, english]) => [id, english, app[id]] as const), ...Object.entries(adminEn).map(([id, english]) => [id, english, admin[id]] as const)].flatMap(([id, english, translated]) => {
        if (!translated) return [`${id}: no ${language} entry`];
        if (placeholders(translated).join() !== placeholders(english).join()) return [`${id}: placeholders differ`];
        // A sentence left in English is a sentence not translated (names, codes and "Passkey" may stay).
        return translated === english && /\s\w+\s/.test(english) ? [`${id}: still the English text`] : [];
      });
      expect(problems).toEqual([]);
    });
  }
});
