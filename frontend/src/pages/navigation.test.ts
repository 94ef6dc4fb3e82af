// Step-up addresses get a way back: withReturnTo adds return_to where Kratos gave none.
import { describe, expect, it } from 'vitest';
import { withReturnTo } from './navigation';

describe('withReturnTo', () => {
  const here = 'https://id.example.com/settings';

  it('adds return_to to Kratos\'s step-up address, which names none (session_aal2_required)', () => {
    const to = new URL(withReturnTo('https://kratos.example.com/self-service/login/browser?aal=aal2', here));
    expect(to.pathname).toBe('/self-service/login/browser');
    expect(to.searchParams.get('aal')).toBe('aal2');
    expect(to.searchParams.get('return_to')).toBe(here);
  });

  it('keeps a return_to Kratos already named, and leaves what is not an http(s) URL alone', () => {
    const named = 'https://kratos.example.com/self-service/login/browser?aal=aal2&return_to=https%3A%2F%2Fid.example.com%2F';
    expect(withReturnTo(named, here)).toBe(named);
    expect(withReturnTo('javascript:alert(1)', here)).toBe('javascript:alert(1)');
  });
});
