import { afterEach, describe, expect, it } from 'vitest';
import { interpolate, kratosText, setCatalog, t, traitTitle, traitValue } from './catalog';
import identitySchema from '../../../kratos/identity.schema.json';
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

// Review findings 3 and 5: the identity schema's titles and values, translated by path.
describe('identity schema titles and values (trait.<path>, trait.<path>=<value>)', () => {
  // The label Kratos v1.3.1 gives a trait's field and the sign-in identifier (login-browser.json,
  // registration-browser.json): id 1070002, the schema's title as its only context.
  const titled = (title: string) => ({ id: 1070002, type: 'info' as const, text: title, context: { title } });

  it('label a field titled by the schema in the current language, the sign-in identifier too', async () => {
    const { de } = await import('./de');
    setCatalog('de', de);
    expect(kratosText(titled('First name'))).toBe('Vorname');
    expect(kratosText(titled('Email'))).toBe('E-Mail-Adresse');
    expect(traitTitle('name.last')).toBe('Nachname');
    expect(traitValue('account_type', 'educator')).toBe('Lehrkraft');
  });

  it('fall back to the schema\'s own title, the path, or the value where no catalog names them', () => {
    setCatalog('de', {});
    expect(kratosText(titled('Favourite colour'))).toBe('Favourite colour');
    expect(traitTitle('favourite.colour')).toBe('favourite.colour');
    expect(traitTitle('name.first')).toBe('First name'); // English's entry
    expect(traitValue('account_type', 'admin')).toBe('admin');
  });

  it('English\'s table is the identity schema\'s own titles and values (kratos/identity.schema.json), so neither drifts', () => {
    const expected: Record<string, string> = {};
    const walk = (node: { title?: string; enum?: string[]; properties?: Record<string, unknown> }, path: string) => {
      if (path && node.title) expected[`trait.${path}`] = node.title;
      for (const v of node.enum ?? []) expected[`trait.${path}=${v}`] = en[`trait.${path}=${v}` as keyof typeof en];
      for (const [k, child] of Object.entries(node.properties ?? {})) walk(child as typeof node, path ? `${path}.${k}` : k);
    };
    walk(identitySchema.properties.traits as Parameters<typeof walk>[0], '');
    const table = Object.fromEntries(Object.entries(en).filter(([k]) => k.startsWith('trait.')));
    expect(table).toEqual(expected);
    for (const [k, v] of Object.entries(table)) expect(v, k).toBeTruthy();
  });
});
