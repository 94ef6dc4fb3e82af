// Every message the real Kratos can send, and every app string, exists in each language.
// kratos-messages.json is read from Kratos v1.3.1's own source (infra/local/kratos-messages.mjs;
// the infra checks fail when it is stale), so a method enabled later is covered already.
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_CATALOGS } from './admin';
import { adminEn } from './admin-en';
import { PAGE_CATALOGS } from './pages';
import { pagesEn } from './pages-en';
import { SETTINGS_CATALOGS } from './settings';
import { settingsEn } from './settings-en';
import type { Catalog } from './catalog';
import { en } from './en';
import { BLOCKED_DOMAIN_MESSAGE_ID } from '../../../infra/local/hook-receiver.mjs';
import kratos from './kratos-messages.json';
import { CATALOG_LOADERS } from './languages';
import { LANGUAGES, type Lang } from './preference';

const kratosIds = new Set(kratos.messages.map((m) => m.id));

/** Every language but English (Kratos's own text and en.ts), by its code, named in English for the test titles. */
const NAMES: Record<Exclude<Lang, 'en'>, string> = { de: 'German', fr: 'French', es: 'Spanish', 'pt-BR': 'Brazilian Portuguese', ar: 'Arabic' };
/**
 * Their app, pages, settings and admin catalogs, loaded as the app loads them (languages.ts,
 * pages.ts, settings.ts, admin.ts); `kratos`: the two that hold Kratos's ids (app and settings).
 */
const TRANSLATIONS = {} as Record<
  string,
  { app: Record<string, string>; pages: Record<string, string>; settings: Record<string, string>; admin: Record<string, string>; kratos: Record<string, string> }
>;

beforeAll(async () => {
  for (const code of Object.keys(NAMES) as Exclude<Lang, 'en'>[]) {
    const app: Catalog = await CATALOG_LOADERS[code]();
    const settings = SETTINGS_CATALOGS[code] ?? {};
    TRANSLATIONS[code] = { app: app as Record<string, string>, pages: PAGE_CATALOGS[code] ?? {}, settings, admin: ADMIN_CATALOGS[code] ?? {}, kratos: { ...app, ...settings } };
  }
});

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
    expect(seen.has(BLOCKED_DOMAIN_MESSAGE_ID)).toBe(true);
    expect(kratosIds.has(BLOCKED_DOMAIN_MESSAGE_ID)).toBe(false);
  });

  it('reads all of Kratos v26.2.0\'s messages (login, registration, settings incl. TOTP, backup codes, WebAuthn, passkeys, social sign-in; recovery, verification, validation), which hold v1.3.1\'s', () => {
    expect(kratos.source).toContain('Ory Kratos v26.2.0');
    expect(kratos.messages.length).toBeGreaterThanOrEqual(140);
    // v1.3.1's, then v26's new recovery screens, labels, validation and system errors.
    for (const id of [4000006, 4000008, 4000012, 1050005, 1050012, 1050019, 1010002, 1070013, 1060004, 1060007, 1070016, 1070017, 4000039, 4000041, 5000002]) {
      expect(kratos.messages.map((m) => m.id)).toContain(id);
    }
  });

  it('has English for every Kratos id: Kratos\'s own text, or the value it passes through in its context', () => {
    const missing = kratos.messages.filter((m) => !(m.text || ('passThrough' in m && m.passThrough) || m.context.length === 1));
    expect(missing).toEqual([]);
  });

  it('has a catalog, loaded as the app loads it, a pages and an admin catalog for exactly the languages the menu lists', () => {
    expect(['en', ...Object.keys(TRANSLATIONS)].sort()).toEqual(Object.keys(LANGUAGES).sort());
    expect(Object.keys(CATALOG_LOADERS).sort()).toEqual(Object.keys(LANGUAGES).sort());
    expect(Object.keys(ADMIN_CATALOGS).sort()).toEqual(Object.keys(LANGUAGES).sort());
    expect(Object.keys(PAGE_CATALOGS).sort()).toEqual(Object.keys(LANGUAGES).sort());
    expect(Object.keys(SETTINGS_CATALOGS).sort()).toEqual(Object.keys(LANGUAGES).sort());
    expect(SETTINGS_CATALOGS.en).toBe(settingsEn);
    expect(ADMIN_CATALOGS.en).toBe(adminEn);
    expect(PAGE_CATALOGS.en).toBe(pagesEn);
    for (const { app, pages, settings, admin } of Object.values(TRANSLATIONS)) {
      expect(Object.keys(app).length).toBeGreaterThan(100);
      expect(Object.keys(pages).length).toBeGreaterThan(40);
      expect(Object.keys(settings).length).toBeGreaterThan(30);
      expect(Object.keys(admin).length).toBeGreaterThan(10);
    }
  });

  it('keeps the pages\' strings out of the catalog /login carries, and every id in one of them only', () => {
    expect(Object.keys(pagesEn).filter((id) => Object.hasOwn(en, id))).toEqual([]);
    expect(Object.keys(settingsEn).filter((id) => Object.hasOwn(en, id) || Object.hasOwn(pagesEn, id))).toEqual([]);
    for (const { app, settings } of Object.values(TRANSLATIONS)) expect(Object.keys(settings).filter((id) => Object.hasOwn(app, id))).toEqual([]);
    expect(Object.keys(adminEn).filter((id) => Object.hasOwn(en, id) || Object.hasOwn(pagesEn, id))).toEqual([]);
  });

  for (const [code, language] of Object.entries(NAMES)) {
    const catalogs = () => TRANSLATIONS[code]!;
    it(`has ${language} for every Kratos id, using only the values Kratos sends with that message`, () => {
      const problems: string[] = [];
      for (const m of kratos.messages) {
        const template = catalogs().kratos[String(m.id)];
        if (!template) problems.push(`${m.id} (${m.name}): no ${language} entry`);
        else for (const p of placeholders(template)) if (!m.context.includes(p)) problems.push(`${m.id}: {${p}} is not in its context`);
      }
      expect(problems).toEqual([]);
    });

    it(`has ${language} for every Kratos message a captured answer carries (v1.3.1 and newer, fixtures/), with only the context keys that answer sends`, () => {
      const problems: string[] = [];
      for (const [id, keys] of seenInAnswers()) {
        // The local sign-up check's own message (infra/local/hook-receiver.mjs) comes written in the
        // person's language by the backend that sent it, and is shown as it came. Any other id
        // Kratos's list lacks is a message the catalogs have never seen: it must be added.
        if (id === BLOCKED_DOMAIN_MESSAGE_ID) continue;
        if (!kratosIds.has(id)) {
          problems.push(`${id}: not in kratos-messages.json (a newer Kratos's message?)`);
          continue;
        }
        const template = catalogs().kratos[String(id)];
        if (!template) problems.push(`${id}: no ${language} entry`);
        else for (const p of placeholders(template)) if (!keys.has(p) && !kratos.messages.find((m) => m.id === id)?.context.includes(p)) problems.push(`${id}: {${p}} is not sent`);
      }
      expect(problems).toEqual([]);
    });

    it(`has no ${language} entry for an id Kratos does not have (a typo would never be shown)`, () => {
      const known = new Set(kratos.messages.map((m) => String(m.id)));
      expect(Object.keys(catalogs().kratos).filter((k) => /^\d+$/.test(k) && !known.has(k))).toEqual([]);
    });

    it(`has ${language} for every app, pages, settings and admin string, with the same {placeholders} as the English, and no English left in it`, () => {
      const problems = [
        ...Object.entries(en).map(([id, english]) => [id, english, catalogs().app[id]] as const),
        ...Object.entries(pagesEn).map(([id, english]) => [id, english, catalogs().pages[id]] as const),
        ...Object.entries(settingsEn).map(([id, english]) => [id, english, catalogs().settings[id]] as const),
        ...Object.entries(adminEn).map(([id, english]) => [id, english, catalogs().admin[id]] as const),
      ].flatMap(([id, english, translated]) => {
        if (!translated) return [`${id}: no ${language} entry`];
        if (placeholders(translated).join() !== placeholders(english).join()) return [`${id}: placeholders differ`];
        // A sentence left in English is a sentence not translated (names, codes and "Passkey" may stay).
        return translated === english && /\s\w+\s/.test(english) ? [`${id}: still the English text`] : [];
      });
      expect(problems).toEqual([]);
    });
  }
});
