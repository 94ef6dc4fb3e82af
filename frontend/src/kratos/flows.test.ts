// Which methods each flow offers, over the step of Kratos's sign-up that offers them all
// (captured from the real Kratos, both versions, by infra/local/capture-fixtures.mjs).
import { describe, expect, it } from 'vitest';
import stepTwo from '../fixtures/registration-step-two.json';
import stepTwoV1 from '../fixtures/v1.3.1/registration-step-two.json';
import settingsBrowser from '../fixtures/settings-browser.json';
import type { UiContainer } from '@ory/client-fetch';
import { FLOWS, offered, UNPROVEN_SIGN_UP } from './flows';

const groups = (ui: UiContainer) => [...new Set(ui.nodes.map((n) => n.group))].sort();

describe('offered', () => {
  for (const [version, fixture] of [['v26.2.0', stepTwo], ['v1.3.1', stepTwoV1]] as const) {
    it(`sign-up (${version}) offers only what proves the address: the code and social sign-in, with the profile's "Back", never a password, passkey or security key`, () => {
      const ui = fixture.body.ui as unknown as UiContainer;
      // Kratos offers them: the check would pass on any flow without them.
      expect(groups(ui)).toEqual(expect.arrayContaining(['code', 'password']));
      const shown = offered(FLOWS.registration, ui);
      expect(groups(shown).filter((g) => UNPROVEN_SIGN_UP.has(g))).toEqual([]);
      expect(groups(shown)).toEqual(groups(ui).filter((g) => !['password', 'passkey', 'webauthn'].includes(g)));
      expect(shown.nodes.find((n) => 'name' in n.attributes && n.attributes.name === 'screen')).toBeDefined();
    });
  }

  it('settings offer every method Kratos sends (a password, passkeys and keys are added there)', () => {
    const ui = settingsBrowser.body.ui as unknown as UiContainer;
    expect(offered(FLOWS.settings, ui)).toBe(ui);
    expect(groups(ui)).toEqual(expect.arrayContaining(['password', 'passkey', 'webauthn']));
    for (const kind of ['login', 'recovery', 'verification', 'settings'] as const) expect(FLOWS[kind].hiddenGroups.size).toBe(0);
  });
});
