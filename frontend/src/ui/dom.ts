// The one way this app builds DOM: elements from createElement, text from text nodes.
// Nothing here (or anywhere in the app) parses a string as HTML.

export type Child = Node | string | null | undefined | false;

export interface Props {
  class?: string;
  /** data-* attributes, without the prefix. */
  data?: Record<string, string>;
  /** Other attributes; `false`/`null`/`undefined` leave the attribute off, `true` sets it empty. */
  attrs?: Record<string, string | number | boolean | null | undefined>;
  on?: { [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void };
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.class) el.className = props.class;
  for (const [k, v] of Object.entries(props.data ?? {})) el.dataset[k] = v;
  for (const [k, v] of Object.entries(props.attrs ?? {})) {
    if (v === false || v === null || v === undefined) continue;
    el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const [type, handler] of Object.entries(props.on ?? {})) {
    el.addEventListener(type, handler as EventListener);
  }
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

let idCounter = 0;
/** A document-unique id for tying labels and descriptions to inputs. */
export function uniqueId(prefix: string): string {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

/**
 * Runs `fn` once the browser has painted the current frame: for work a page does not wait for
 * (loading code for a later step), so that it neither delays the first paint of what is drawn
 * nor sits on the requests that lead to it.
 */
export function afterPaint(fn: () => void): void {
  requestAnimationFrame(() => setTimeout(fn, 0));
}
