// The renderer and the answer classifier over every Kratos version whose answers were captured:
// the pinned v26.2.0 (fixtures/*.json) and v1.3.1 (fixtures/v1.3.1/*.json, captured with
// `npm run capture-fixtures -- --compat`). Each version sends node groups and messages the other
// never did; each must render, at worst generically, with no field dropped.
import type { UiNode } from '@ory/client-fetch';
import { describe, expect, it } from 'vitest';
import { FLOWS, type Flow } from '../kratos/flows';
import { classify } from '../kratos/outcome';
import { renderFlow } from './render';
import { WEBAUTHN_TRIGGERS } from './triggers';

interface Fixture {
  _provenance: { source: string };
  status: number;
  body: unknown;
}

const files = import.meta.glob<Fixture>('../fixtures/**/*.json', { eager: true, import: 'default' });

/** version → fixture name → fixture */
const byVersion = new Map<string, Map<string, Fixture>>();
for (const [path, fixture] of Object.entries(files)) {
  const m = /fixtures\/(?:(v[\d.]+)\/)?([\w-]+)\.json$/.exec(path);
  if (!m) continue;
  const version = m[1] ?? 'v26.2.0';
  if (!byVersion.has(version)) byVersion.set(version, new Map());
  byVersion.get(version)!.set(m[2]!, fixture);
}

/** How the app reads each answer (kratos/flows.ts), by the captured answer's name. */
const FROM_JSON: [RegExp, (json: unknown) => Flow][] = [
  [/^login-/, FLOWS.login.fromJSON],
  [/^registration-/, FLOWS.registration.fromJSON],
  [/^settings-/, FLOWS.settings.fromJSON],
  [/^recovery-/, FLOWS.recovery.fromJSON],
  [/^verification-/, FLOWS.verification.fromJSON],
];
const reader = (name: string) => FROM_JSON.find(([re]) => re.test(name))?.[1];

/** What each captured answer is, whichever Kratos gave it (read off the answers, not off classify). */
const EXPECTED: Record<string, 'flow' | 'done' | 'error'> = {
  'admin-identity-patch-invalid': 'error',
  'error-stub': 'error',
  'login-browser': 'flow',
  'login-code-sent': 'flow',
  'login-identifier-first-password': 'flow',
  'login-identifier-first': 'flow',
  'login-invalid-credentials': 'flow',
  'login-session-already-available': 'error',
  'login-unknown-flow': 'error',
  'logout-browser': 'done',
  'recovery-sent-email': 'flow',
  'registration-address-not-proven': 'error',
  'registration-browser': 'flow',
  'registration-duplicate': 'flow',
  'registration-every-input-type': 'flow',
  'registration-hook-refused': 'flow',
  'registration-missing-email': 'flow',
  'registration-step-two': 'flow',
  'registration-success': 'done',
  schemas: 'done',
  'session-whoami-anonymous': 'error',
  'session-whoami': 'done',
  'settings-browser': 'flow',
  'settings-lookup-secrets-generated': 'flow',
  'settings-second-factors-on': 'flow',
  'verification-passed': 'flow',
  'verification-sent-email': 'flow',
};
/** The forms each version's render checks went through (counted, so a check that never ran shows). */
const rendered = new Map<string, number>();

/** The nodes a person must be able to use: every input that is not hidden, and every button. */
function controls(nodes: UiNode[]): { name: string; value?: string; button: boolean }[] {
  return nodes
    .filter((n) => n.type === 'input')
    .map((n) => n.attributes as { name: string; type: string; value?: unknown })
    .filter((a) => a.type !== 'hidden')
    .map((a) => ({ name: a.name, value: a.type === 'submit' || a.type === 'button' ? String(a.value ?? '') : undefined, button: a.type === 'submit' || a.type === 'button' }));
}

describe('Kratos versions captured', () => {
  it('has the pinned v26.2.0 and v1.3.1, each with the same set of captured answers', () => {
    const versions = [...byVersion.keys()].sort();
    expect(versions).toEqual(['v1.3.1', 'v26.2.0']);
    const names = [...byVersion.get('v26.2.0')!.keys()].sort();
    for (const v of versions) expect([...byVersion.get(v)!.keys()].sort(), v).toEqual(names);
  });
});

for (const [version, fixtures] of byVersion) {
  describe(`Kratos ${version}: every captured answer`, () => {
    for (const [name, fixture] of fixtures) {
      const fromJSON = reader(name);
      it(`${name}: classified as the table says, and every form rendered with every field and button`, () => {
        expect(fixture._provenance.source).toContain(version);
        const outcome = classify({ status: fixture.status, body: fixture.body }, fromJSON);
        expect(Object.keys(EXPECTED), `${name} has no expected outcome`).toContain(name);
        expect(outcome.type).toBe(EXPECTED[name]);
        if (outcome.type !== 'flow') return;
        rendered.set(version, (rendered.get(version) ?? 0) + 1);
        // As the flow page renders it: with the app's own WebAuthn and passkey buttons.
        const el = renderFlow(outcome.flow.ui, { kratosOrigin: 'http://localhost:14433', onSubmit: () => {}, triggers: WEBAUTHN_TRIGGERS });
        for (const c of controls(outcome.flow.ui.nodes)) {
          const found = c.button
            ? [...el.querySelectorAll<HTMLButtonElement>(`button[name="${c.name}"]`)].some((b) => b.value === c.value)
            : el.querySelector(`[name="${c.name}"]`) !== null;
          expect(found, `${name}: ${c.name}${c.button ? `=${c.value}` : ''}`).toBe(true);
        }
        // Every message Kratos sent is on the page, by its id.
        for (const m of outcome.flow.ui.messages ?? []) expect(el.querySelector(`[data-testid="ui/message/${m.id}"]`), `${name}: message ${m.id}`).not.toBeNull();
      });
    }
  });
}

describe('the render checks above', () => {
  it('went through every captured form of every version', () => {
    const forms = Object.values(EXPECTED).filter((t) => t === 'flow').length;
    expect(forms).toBe(17);
    expect(Object.fromEntries(rendered)).toEqual(Object.fromEntries([...byVersion.keys()].map((v) => [v, forms])));
  });
});
