import { LoginFlowFromJSON, RegistrationFlowFromJSON } from '@ory/client-fetch';
import { describe, expect, it } from 'vitest';
import loginCodeSent from '../fixtures/login-code-sent.json';
import loginBrowser from '../fixtures/login-browser.json';
import registrationBrowser from '../fixtures/registration-browser.json';
import { keepableValues } from './values';

describe('keepableValues', () => {
  it('keeps what was typed in text fields of the real sign-up form', () => {
    const nodes = RegistrationFlowFromJSON(registrationBrowser.body).ui.nodes;
    expect(keepableValues(nodes, { 'traits.email': 'a@example.com', 'traits.name.first': 'Ada', csrf_token: 't', method: 'profile' })).toEqual({
      'traits.email': 'a@example.com',
      'traits.name.first': 'Ada',
    });
  });

  it('never keeps a password', () => {
    const nodes = LoginFlowFromJSON(loginBrowser.body).ui.nodes;
    expect(keepableValues(nodes, { identifier: 'a@example.com', password: 'secret secret' })).toEqual({ identifier: 'a@example.com' });
  });

  it('never keeps a one-time code: a wrong one is not put back', () => {
    const nodes = LoginFlowFromJSON(loginCodeSent.body).ui.nodes;
    expect(keepableValues(nodes, { code: '123456', identifier: 'a@example.com' })).toEqual({});
  });
});
