// A second step before an action that takes something away (review finding 12): the button
// steps aside for a question, the same action once more and "Cancel". Loaded on the first press
// of such a button (settings, sessions, administration), never by /login.
import { t } from '../i18n/catalog';
import { h } from './dom';

/**
 * Asks `question` in place of `button`, offering its action once more and "Cancel". Resolves true
 * on the confirming press, false on "Cancel" (focus back on `button`). Focus starts on "Cancel":
 * Enter or Space there do nothing harmful.
 */
export function confirmFirst(button: HTMLButtonElement, question = t('app.confirm.question')): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      group.remove();
      button.hidden = false;
      if (!ok) button.focus();
      resolve(ok);
    };
    const yes = h('button', { class: 'button button-danger', attrs: { type: 'button' }, data: { testid: 'confirm/yes' }, on: { click: () => done(true) } }, button.textContent ?? '');
    const no = h('button', { class: 'button button-secondary', attrs: { type: 'button' }, data: { testid: 'confirm/cancel' }, on: { click: () => done(false) } }, t('app.confirm.cancel'));
    const group = h('span', { class: 'confirm', attrs: { role: 'group', 'aria-label': question } }, h('span', {}, question), ' ', yes, ' ', no);
    button.hidden = true;
    button.after(group);
    no.focus();
  });
}
