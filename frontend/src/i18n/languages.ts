// Which language the app speaks: the visitor's own choice (kept in localStorage), else the
// first of the browser's languages we have, else English. English is built in; every other
// catalog is fetched only when chosen, so /login carries no translation it does not show.
import { setCatalog, type Catalog } from './catalog';
import { en } from './en';

/** Each language by its code (BCP 47, as the lang attribute takes it), named in itself. */
export const LANGUAGES = {
  en: 'English',
  de: 'Deutsch',
  fr: 'Français',
  es: 'Español',
  'pt-BR': 'Português (Brasil)',
  ar: 'العربية',
} as const;
export type Lang = keyof typeof LANGUAGES;

/** Written right to left: the document gets dir="rtl" and the layout mirrors (logical CSS). */
const RTL: readonly Lang[] = ['ar'];

const LOADERS: Record<Lang, () => Promise<Catalog>> = {
  en: async () => en,
  de: async () => (await import('./de')).de,
  fr: async () => (await import('./fr')).fr,
  es: async () => (await import('./es')).es,
  'pt-BR': async () => (await import('./pt-br')).ptBR,
  ar: async () => (await import('./ar')).ar,
};

export const STORAGE_KEY = 'kratos-spa.lang';

function isLang(value: string | null | undefined): value is Lang {
  return typeof value === 'string' && Object.hasOwn(LANGUAGES, value);
}

const CODES = Object.keys(LANGUAGES) as Lang[];
const base = (tag: string): string => tag.toLowerCase().split('-')[0]!;

/**
 * The stored choice, else the first browser language we have: the tag itself ("pt-BR"), else
 * ours of the same language ("de-AT" → de, "pt-PT" → pt-BR), else English.
 */
export function preferredLanguage(stored: string | null, browser: readonly string[]): Lang {
  if (isLang(stored)) return stored;
  for (const tag of browser) {
    const found = CODES.find((c) => c.toLowerCase() === tag.toLowerCase()) ?? CODES.find((c) => base(c) === base(tag));
    if (found) return found;
  }
  return 'en';
}

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // storage blocked (privacy settings): the choice lasts for this page only
  }
}

export function initialLanguage(): Lang {
  return preferredLanguage(storage()?.getItem(STORAGE_KEY) ?? null, navigator.languages ?? [navigator.language]);
}

/** Loads and activates a language, and says so to the document (lang and dir attributes). */
export async function useLanguage(lang: Lang, remember = false): Promise<void> {
  setCatalog(lang, await LOADERS[lang]());
  document.documentElement.lang = lang;
  document.documentElement.dir = RTL.includes(lang) ? 'rtl' : 'ltr';
  if (remember) storage()?.setItem(STORAGE_KEY, lang);
}
