// The settings page's strings in every language (settings-en.ts and beside it): loaded with that
// page (pages/flow-page.ts) and added to the catalog, so /login carries none of them.
import { settingsAr } from './settings-ar';
import { settingsDe } from './settings-de';
import { settingsEn } from './settings-en';
import { settingsEs } from './settings-es';
import { settingsFr } from './settings-fr';
import { settingsPtBR } from './settings-pt-br';

/** Each language's settings table, by the codes of preference.ts's LANGUAGES. */
export const SETTINGS_CATALOGS: Record<string, Record<string, string>> = { en: settingsEn, de: settingsDe, fr: settingsFr, es: settingsEs, 'pt-BR': settingsPtBR, ar: settingsAr };
