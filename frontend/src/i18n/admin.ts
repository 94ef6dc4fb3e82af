// The administration pages' strings, in the app's current language: their own small catalogs,
// loaded with the admin pages only. Placeholders as in catalog.ts ({name}, inserted as text).
import { adminAr } from './admin-ar';
import { adminDe } from './admin-de';
import { adminEn, type AdminMessageId } from './admin-en';
import { adminEs } from './admin-es';
import { adminFr } from './admin-fr';
import { adminPtBR } from './admin-pt-br';
import { subCatalog } from './sub-catalog';

export type { AdminMessageId } from './admin-en';

/** Each language's admin catalog, by the codes of preference.ts's LANGUAGES. */
export const ADMIN_CATALOGS: Record<string, Record<AdminMessageId, string>> = { en: adminEn, de: adminDe, fr: adminFr, es: adminEs, 'pt-BR': adminPtBR, ar: adminAr };

export const { text: ta, known: taKnown } = subCatalog(ADMIN_CATALOGS, adminEn);

/** An admin notice id carried in history.state (as ui/page.ts noticeFromState does for the app's). */
export function adminNoticeFromState(state: unknown): AdminMessageId | null {
  const notice = typeof state === 'object' && state !== null && 'notice' in state ? (state as { notice: unknown }).notice : null;
  return typeof notice === 'string' && Object.hasOwn(adminEn, notice) ? (notice as AdminMessageId) : null;
}
