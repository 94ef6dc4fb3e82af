// The message catalog: every string the user reads comes through here.
//
// - App strings have `app.*` ids (see en.ts).
// - Kratos's messages and labels are keyed by their numeric Kratos id; a catalog may hold a
//   template for an id, filled from the message's `context`. Without an entry, Kratos's own
//   text is shown, so an id Kratos adds later still reads correctly.
import type { UiText } from '@ory/client-fetch';
import { en, type AppMessageId } from './en';
import type { SettingsMessageId } from './settings-en';

export type Catalog = Partial<Record<AppMessageId | `${number}`, string>>;
/** Every id t() takes: /login's own (en.ts), and the settings page's, loaded with it (settings.ts). */
export type TextId = AppMessageId | SettingsMessageId;

let active: { lang: string; catalog: Catalog } = { lang: 'en', catalog: en };
/** Strings loaded with the page that uses them (addStrings), by language. */
let added: Record<string, Record<string, string> | undefined> = {};

/** Makes a page's own tables (settings.ts) part of the catalog, beside the language's. */
export function addStrings(tables: Record<string, Record<string, string>>): void {
  added = tables;
}

/** A string by id in the current language: its catalog, then the added tables, then their English. */
function lookup(id: string): string | undefined {
  return (active.catalog as Record<string, string | undefined>)[id] ?? added[active.lang]?.[id] ?? added.en?.[id];
}

export function setCatalog(lang: string, catalog: Catalog): void {
  active = { lang, catalog };
}

export function currentLang(): string {
  return active.lang;
}

/** Replaces {name} with String(vars[name]); unknown names stay as they are. */
export function interpolate(template: string, vars: Record<string, unknown> = {}): string {
  return template.replace(/\{([A-Za-z0-9_]+)\}/g, (whole, name: string) => {
    const v = vars[name];
    if (v === undefined || v === null) return whole;
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  });
}

export function t(id: TextId, vars?: Record<string, unknown>): string {
  return interpolate(lookup(id) ?? (en as Record<string, string>)[id] ?? id, vars);
}

type TraitKey = `trait.${string}`;
const traitEntry = (catalog: Catalog, key: string): string | undefined => (catalog as Record<string, string | undefined>)[key];

/**
 * The title of the identity schema's trait at `path` ("name.first"), in the current language:
 * the catalog's `trait.<path>` entry, else English's, else `fallback` (the schema's own title, or
 * the path). Enum values likewise, as `trait.<path>=<value>` (traitValue).
 */
export function traitTitle(path: string, fallback: string = path): string {
  const key: TraitKey = `trait.${path}`;
  return traitEntry(active.catalog, key) ?? traitEntry(en, key) ?? fallback;
}

export function traitValue(path: string, value: string): string {
  const key: TraitKey = `trait.${path}=${value}`;
  return traitEntry(active.catalog, key) ?? traitEntry(en, key) ?? value;
}

/** Kratos's label for a field titled by the identity schema ("{title}", its context the schema's title). */
const SCHEMA_TITLE = 1070002;

/**
 * The trait path whose English title is `title`: Kratos labels a trait's field, and the sign-in
 * identifier, with the schema's title alone, so the table's English titles lead back to the path.
 */
function pathOfTitle(title: string): string | null {
  for (const [key, english] of Object.entries(en)) {
    if (english === title && key.startsWith('trait.') && !key.includes('=')) return key.slice('trait.'.length);
  }
  return null;
}

/** The text to show for a Kratos message or label. */
export function kratosText(text: UiText): string {
  if (text.id === SCHEMA_TITLE) {
    // As Kratos sends it, the text is the title; anything else is shown as sent.
    const title = (text.context as { title?: unknown } | undefined)?.title;
    const path = typeof title === 'string' && title === text.text ? pathOfTitle(title) : null;
    if (path) return traitTitle(path);
  }
  const template = lookup(`${text.id}`);
  if (template === undefined) return text.text;
  return interpolate(template, (text.context ?? {}) as Record<string, unknown>);
}
