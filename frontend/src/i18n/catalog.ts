// The message catalog: every string the user reads comes through here.
//
// - App strings have `app.*` ids (see en.ts).
// - Kratos's messages and labels are keyed by their numeric Kratos id; a catalog may hold a
//   template for an id, filled from the message's `context`. Without an entry, Kratos's own
//   text is shown, so an id Kratos adds later still reads correctly.
import type { UiText } from '@ory/client-fetch';
import { en, type AppMessageId } from './en';

export type Catalog = Partial<Record<AppMessageId | `${number}`, string>>;

let active: { lang: string; catalog: Catalog } = { lang: 'en', catalog: en };

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

export function t(id: AppMessageId, vars?: Record<string, unknown>): string {
  return interpolate(active.catalog[id] ?? en[id], vars);
}

/** The text to show for a Kratos message or label. */
export function kratosText(text: UiText): string {
  const template = active.catalog[`${text.id}`];
  if (template === undefined) return text.text;
  return interpolate(template, (text.context ?? {}) as Record<string, unknown>);
}
