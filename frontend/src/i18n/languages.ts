// Which language the app speaks: the visitor's own choice (kept in localStorage), else the
// first of the browser's languages we have, else English. English is built in; every other
// catalog is fetched only when chosen, so /login carries no translation it does not show.
import { setCatalog, type Catalog } from './catalog';
import { en } from './en';

/** Each language by its code, named in itself (as a language menu should). */
export const LANGUAGES = { en: 'English', de: 'Deutsch' } as const;
export type Lang = keyof typeof LANGUAGES;

const LOADERS: Record<Lang, () => Promise<Catalog>> = {
  en: async () => en,
  de: async () => (await import('./de')).de,
};

export const STORAGE_KEY = 'kratos-spa.lang';

function isLang(value: string | null | undefined): value is Lang {
  return typeof value === 'string' && Object.hasOwn(LANGUAGES, value);
}

/** The stored choice, else the first browser language we have ("de-AT" → de), else English. */
export function preferredLanguage(stored: string | null, browser: readonly string[]): Lang {
  if (isLang(stored)) return stored;
  for (const tag of browser) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLang(base)) return base;
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

/** Loads and activates a language, and says so to the document (lang attribute). */
export async function useLanguage(lang: Lang, remember = false): Promise<void> {
  setCatalog(lang, await LOADERS[lang]());
  document.documentElement.lang = lang;
  if (remember) storage()?.setItem(STORAGE_KEY, lang);
}
