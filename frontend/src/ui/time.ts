// Dates and times as people read them, in the app's current language ("—" when unknown).
import { currentLang } from '../i18n/catalog';

export function formatTime(date: Date | undefined): string {
  if (!date || Number.isNaN(date.getTime())) return '—';
  return new Intl.DateTimeFormat(currentLang(), { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}
