// A catalog that loads with the pages that use it (pages.ts: home, sign-out, errors; admin.ts:
// administration), beside the one /login carries (catalog.ts): its strings in the app's current
// language, English where that language has no table. Placeholders as in catalog.ts.
import { currentLang, interpolate } from './catalog';

export function subCatalog<Id extends string>(tables: Record<string, Record<Id, string>>, english: Record<Id, string>) {
  const text = (id: Id, vars?: Record<string, unknown>): string => interpolate((tables[currentLang()] ?? english)[id], vars);
  /** A string by an id made at run time ("app.method.totp"), or `fallback` where there is none. */
  const known = (id: string, fallback: string): string => (Object.hasOwn(english, id) ? text(id as Id) : fallback);
  return { text, known };
}
