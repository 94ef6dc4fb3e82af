// Dates and times as people read them, in the app's current language ("—" when unknown).
import { currentLang } from '../i18n/catalog';

export function formatTime(date: Date | undefined): string {
  if (!date || Number.isNaN(date.getTime())) return '—';
  // One piece on a line: a phone never breaks "12:12 AM" after the 12 (review finding 23).
  return new Intl.DateTimeFormat(currentLang(), { dateStyle: 'medium', timeStyle: 'short' }).format(date).replace(/\s/g, '\u00a0');
}
