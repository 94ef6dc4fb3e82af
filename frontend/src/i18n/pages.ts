// The strings of the pages /login never shows (home, sign-out, errors), in the app's current
// language: their own small catalogs, loaded with those pages only. Placeholders as in catalog.ts.
import { currentLang, interpolate } from './catalog';
import { pagesAr } from './pages-ar';
import { pagesDe } from './pages-de';
import { pagesEn, type PageMessageId } from './pages-en';
import { pagesEs } from './pages-es';
import { pagesFr } from './pages-fr';
import { pagesPtBR } from './pages-pt-br';

export type { PageMessageId } from './pages-en';

/** Each language's pages catalog, by the codes of preference.ts's LANGUAGES. */
export const PAGE_CATALOGS: Record<string, Record<PageMessageId, string>> = { en: pagesEn, de: pagesDe, fr: pagesFr, es: pagesEs, 'pt-BR': pagesPtBR, ar: pagesAr };

export function tp(id: PageMessageId, vars?: Record<string, unknown>): string {
  return interpolate((PAGE_CATALOGS[currentLang()] ?? pagesEn)[id], vars);
}

/** A string by an id made at run time ("app.method.totp"), or `fallback` where there is none. */
export function tpKnown(id: string, fallback: string): string {
  return Object.hasOwn(pagesEn, id) ? tp(id as PageMessageId) : fallback;
}
