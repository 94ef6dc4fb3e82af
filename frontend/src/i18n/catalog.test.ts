import { afterEach, describe, expect, it } from 'vitest';
import { interpolate, kratosText, setCatalog, t } from './catalog';
import { en } from './en';

afterEach(() => setCatalog('en', en));

describe('message catalog', () => {
  it('fills {placeholders} from values and leaves unknown ones visible', () => {
    expect(interpolate('Error {code}: {missing}', { code: 500 })).toBe('Error 500: {missing}');
    expect(interpolate('{a}', { a: { b: 1 } })).toBe('{"b":1}');
  });

  it('shows Kratos\'s own text for an id the catalog does not have', () => {
    expect(kratosText({ id: 4000006, type: 'error', text: 'The provided credentials are invalid.' })).toBe('The provided credentials are invalid.');
  });

  it('uses the active catalog\'s template for a Kratos id, filled from the message context', () => {
    setCatalog('de', { ...en, '4000002': 'Die Angabe {property} fehlt.' });
    expect(kratosText({ id: 4000002, type: 'error', text: 'Property email is missing.', context: { property: 'email' } })).toBe(
      'Die Angabe email fehlt.',
    );
  });

  it('falls back to English for an app string a catalog lacks', () => {
    setCatalog('de', { 'app.nav.signIn': 'Anmelden' });
    expect(t('app.nav.signIn')).toBe('Anmelden');
    expect(t('app.nav.signUp')).toBe('Create account');
  });
});
