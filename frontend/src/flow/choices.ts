// Traits limited to a fixed set of values (JSON Schema `enum` in the identity schema) as real
// choices. Kratos v1.3.1's UI nodes carry no options for them, only a text input; once the
// identity schemas are read (kratos/schemas.ts), each such input of a rendered form becomes a
// <select> with the same name, id, label, messages and state, so values.ts sends it as before.
// Loaded after the form is drawn, on the pages whose flows carry traits (pages/flow-page.ts).
import { t, traitValue } from '../i18n/catalog';
import { choicesFor } from '../kratos/schemas';
import { h } from '../ui/dom';

const KEPT_ATTRIBUTES = ['id', 'name', 'required', 'disabled', 'aria-describedby', 'aria-invalid', 'data-group'];

/** Replaces `input` with a choice of `options`, keeping what it holds (even a value not listed). */
export function toChoice(input: HTMLInputElement, options: string[]): HTMLSelectElement {
  const current = input.value;
  const values = current && !options.includes(current) ? [...options, current] : options;
  // Each value as the catalogs name it (trait.<path>=<value>), sent as Kratos knows it.
  const path = input.name.replace(/^traits\./, '');
  const select = h('select', {}, h('option', { attrs: { value: '' } }, t('app.field.choose')), ...values.map((v) => h('option', { attrs: { value: v } }, traitValue(path, v))));
  for (const name of KEPT_ATTRIBUTES) {
    const value = input.getAttribute(name);
    if (value !== null) select.setAttribute(name, value);
  }
  select.value = current;
  const focused = document.activeElement === input;
  input.replaceWith(select);
  if (focused) select.focus();
  return select;
}

/** Offers the choices of schema `schemaId` (see choicesFor) in `form`, unless `signal` ended it first. */
export async function offerChoices(form: HTMLElement, schemaId: string | undefined, signal: AbortSignal): Promise<void> {
  const choices = await choicesFor(schemaId, signal);
  if (signal.aborted) return;
  for (const [name, options] of Object.entries(choices)) {
    for (const input of form.querySelectorAll<HTMLInputElement>(`input[name="${CSS.escape(name)}"]:not([type="hidden"])`)) toChoice(input, options);
  }
}
