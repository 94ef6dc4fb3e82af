// A trait with a fixed set of values, on the real sign-up form (captured from Kratos v1.3.1, where
// it is a text input), becomes a choice that is labelled, described and sent as the input was.
import { RegistrationFlowFromJSON } from '@ory/client-fetch';
import { describe, expect, it } from 'vitest';
import registrationBrowser from '../fixtures/registration-browser.json';
import { toChoice } from './choices';
import { renderFlow } from './render';
import { collectBody } from './values';

const OPTIONS = ['educator', 'student'];

function signUpForm(): { form: HTMLFormElement; input: HTMLInputElement; nodes: ReturnType<typeof RegistrationFlowFromJSON>['ui']['nodes'] } {
  const { ui } = RegistrationFlowFromJSON(registrationBrowser.body);
  const el = renderFlow(ui, { kratosOrigin: 'http://127.0.0.1:4433', onSubmit: () => {} });
  document.body.replaceChildren(el);
  const input = el.querySelector<HTMLInputElement>('input[name="traits.account_type"]');
  if (!input) throw new Error('the captured sign-up form has no traits.account_type input');
  return { form: el.querySelector('form')!, input, nodes: ui.nodes };
}

describe('toChoice', () => {
  it('keeps the field\'s id (its label still names it), name, group and state, and offers the schema\'s values after an empty "Choose…"', () => {
    const { input } = signUpForm();
    const id = input.id;
    const select = toChoice(input, OPTIONS);
    expect(select.id).toBe(id);
    expect(document.querySelector(`label[for="${id}"]`)?.textContent).toBe('Account type');
    expect(select.name).toBe('traits.account_type');
    expect(select.dataset.group).toBe(input.dataset.group);
    expect([...select.options].map((o) => [o.value, o.textContent])).toEqual([['', 'Choose…'], ['educator', 'Educator'], ['student', 'Student']]); // values as Kratos knows them, named as the catalogs say
    expect(select.value).toBe('');
  });

  it('is what the form sends: the chosen value under the trait\'s name', () => {
    const { form, input, nodes } = signUpForm();
    const select = toChoice(input, OPTIONS);
    select.value = 'student';
    const submit = form.querySelector<HTMLButtonElement>('button[name="method"][value="profile"]');
    expect(collectBody(nodes, form, submit)).toMatchObject({ 'traits.account_type': 'student', method: 'profile' });
  });

  it('keeps a value the field held that the schema does not list (nothing changes on a save)', () => {
    const { input } = signUpForm();
    input.value = 'teacher';
    const select = toChoice(input, OPTIONS);
    expect(select.value).toBe('teacher');
    expect([...select.options].map((o) => o.value)).toEqual(['', 'educator', 'student', 'teacher']);
  });
});
