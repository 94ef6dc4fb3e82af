// Which language a visitor gets, decided once per page and before any catalog exists: the
// visitor's own choice (kept in localStorage), else the first of the browser's languages we have,
// else English. Catalog-free and small, because the inline early script (src/early-inline.ts)
// decides it while the page is still being parsed: the page frame is painted in the language's
// direction from the first frame (no jump when the app starts), and the app takes the decision
// instead of opening localStorage on its own critical path (languages.ts loads the catalog).

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

export const STORAGE_KEY = 'kratos-spa.lang';

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && Object.hasOwn(LANGUAGES, value);
}

export const direction = (lang: Lang): 'rtl' | 'ltr' => (RTL.includes(lang) ? 'rtl' : 'ltr');

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

export function storage(win: Window = window): Storage | null {
  try {
    return win.localStorage;
  } catch {
    return null; // storage blocked (privacy settings): the choice lasts for this page only
  }
}

/**
 * Where the early script leaves its decision for the app (two scripts, one window): a registered
 * symbol, which no element id or name can take the place of (DOM clobbering).
 */
const SLOT = Symbol.for('kratos-spa.language');
type WithSlot = { [SLOT]?: unknown };

/**
 * The page's language, decided on the first call (the early script's, or the app's where no
 * early script ran: the dev server, a framed page) and the same on every later one. The first
 * call sets the document's direction, before anything is painted when the early script makes it.
 */
export function decideLanguage(win: Window = window): Lang {
  const slot = win as unknown as WithSlot;
  const decided = slot[SLOT];
  if (isLang(decided)) return decided;
  const lang = preferredLanguage(storage(win)?.getItem(STORAGE_KEY) ?? null, win.navigator.languages ?? [win.navigator.language]);
  slot[SLOT] = lang;
  win.document.documentElement.dir = direction(lang);
  return lang;
}
