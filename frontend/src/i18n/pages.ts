// The strings of the pages /login never shows (home, sign-out, errors), in the app's current
// language: their own small catalogs, loaded with those pages only. Placeholders as in catalog.ts.
import { pagesAr } from './pages-ar';
import { pagesDe } from './pages-de';
import { pagesEn, type PageMessageId } from './pages-en';
import { pagesEs } from './pages-es';
import { pagesFr } from './pages-fr';
import { pagesPtBR } from './pages-pt-br';
import { subCatalog } from './sub-catalog';

export type { PageMessageId } from './pages-en';

/** Each language's pages catalog, by the codes of preference.ts's LANGUAGES. */
export const PAGE_CATALOGS: Record<string, Record<PageMessageId, string>> = { en: pagesEn, de: pagesDe, fr: pagesFr, es: pagesEs, 'pt-BR': pagesPtBR, ar: pagesAr };

export const { text: tp, known: tpKnown } = subCatalog(PAGE_CATALOGS, pagesEn);
