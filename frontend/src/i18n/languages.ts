// The app's language at work: loads the catalog of the language preference.ts decided (or the
// visitor picks) and says it to the document. English is built in; every other catalog is
// fetched only when chosen, so /login carries no translation it does not show.
import { setCatalog, type Catalog } from './catalog';
import { en } from './en';
import { direction, storage, STORAGE_KEY, type Lang } from './preference';

/** Each language's catalog, as the app loads it (the coverage test loads them the same way). */
export const CATALOG_LOADERS: Record<Lang, () => Promise<Catalog>> = {
  en: async () => en,
  de: async () => (await import('./de')).de,
  fr: async () => (await import('./fr')).fr,
  es: async () => (await import('./es')).es,
  'pt-BR': async () => (await import('./pt-br')).ptBR,
  ar: async () => (await import('./ar')).ar,
};

/** Loads and activates a language, and says so to the document (lang and dir attributes). */
export async function useLanguage(lang: Lang, remember = false): Promise<void> {
  setCatalog(lang, await CATALOG_LOADERS[lang]());
  document.documentElement.lang = lang;
  document.documentElement.dir = direction(lang);
  if (remember) storage()?.setItem(STORAGE_KEY, lang);
}
