// "Copy": a button that puts a text on the clipboard and says whether it could (settings' secrets
// and backup codes, the administrators' recovery link and code).
import { t } from '../i18n/catalog';
import { h } from './dom';

/**
 * A button that copies `text` to the clipboard and says so ("Copied"), or says it could not
 * (the browser may refuse: the text stays on screen to select by hand).
 */
export function copyButton(text: string, label: string, testid: string): HTMLElement {
  const status = h('span', { class: 'copy-status', attrs: { role: 'status' } });
  const button = h('button', { class: 'button button-secondary button-small', attrs: { type: 'button' }, data: { testid } }, label);
  button.addEventListener('click', () => {
    navigator.clipboard.writeText(text).then(
      () => status.replaceChildren(t('app.copy.done')),
      () => status.replaceChildren(t('app.copy.failed')),
    );
  });
  return h('span', { class: 'copy' }, button, status);
}
