import { afterEach, describe, expect, it } from 'vitest';
import login from '../fixtures/login-invalid-credentials.json';
import { renderFlow } from '../flow/render';
import { kratosText, t } from './catalog';
import { useLanguage } from './languages';
import { STORAGE_KEY } from './preference';

afterEach(async () => {
  await useLanguage('en');
  localStorage.clear();
});

describe('using a language', () => {
  it('switches the app\'s strings and the document\'s lang, and remembers a choice when asked', async () => {
    await useLanguage('de', true);
    expect(document.documentElement.lang).toBe('de');
    expect(t('app.nav.signIn')).toBe('Anmelden');
    expect(localStorage.getItem(STORAGE_KEY)).toBe('de');
  });
});

describe('direction', () => {
  it('turns the document right to left for Arabic and back for every other language', async () => {
    await useLanguage('ar');
    expect(document.documentElement).toMatchObject({ lang: 'ar', dir: 'rtl' });
    expect(t('app.nav.signIn')).toBe('تسجيل الدخول');
    await useLanguage('pt-BR');
    expect(document.documentElement).toMatchObject({ lang: 'pt-BR', dir: 'ltr' });
    expect(t('app.nav.signIn')).toBe('Entrar');
  });
});

describe('a flow captured from the real Kratos, in German', () => {
  it('shows Kratos\'s "invalid credentials" (4000006) and the button labels in German', async () => {
    await useLanguage('de');
    const el = renderFlow(login.body.ui as never, { kratosOrigin: 'http://127.0.0.1:4433', onSubmit: () => {} });
    expect(el.querySelector('[data-testid="ui/message/4000006"]')?.textContent).toMatch(/^Die Anmeldedaten sind ungültig/);
    expect([...el.querySelectorAll('button')].map((b) => b.textContent)).toContain('Mit Passwort anmelden');
  });

  it('fills a German template from the message\'s context (4000032, the real password length message)', async () => {
    await useLanguage('de');
    expect(kratosText({ id: 4000032, type: 'error', text: 'The password must be at least 8 characters long, but got 3.', context: { min_length: 8, actual_length: 3 } })).toBe(
      'Verwenden Sie mindestens 8 Zeichen.',
    );
  });
});
