// Switching the running test Kratos to another configuration, the way Kratos's own e2e suite
// switches profiles: rewrite the rendered config, then wait until Kratos reports the new hash
// (admin /health/config). Kratos applies most keys without a restart (serve.* excepted).
//
// Config changes affect every test, so the tests that make them live in *.config.spec.ts, which
// Playwright runs one at a time after all other tests (playwright.config.ts).
import { readFileSync } from 'node:fs';
import { writeLocalKratosConfig } from '../infra/local/kratos.mjs';
import { stackSettings } from '../infra/local/settings.mjs';

const settings = stackSettings('test');

async function configHash(): Promise<string> {
  const res = await fetch(`${settings.urls.kratosAdmin}/admin/health/config`);
  if (!res.ok) throw new Error(`Kratos /admin/health/config answered ${res.status}`);
  return res.text();
}

/** Makes the running Kratos use kratos/ + the local overlay + `patch`; `{}` restores the default. */
export async function useKratosConfig(patch: object): Promise<void> {
  const file = `${settings.dataDir}/kratos.yml`;
  const before = readFileSync(file, 'utf8');
  const hashBefore = await configHash();
  writeLocalKratosConfig(settings, patch);
  if (readFileSync(file, 'utf8') === before) return;
  const deadline = Date.now() + 20_000;
  while ((await configHash()) === hashBefore) {
    if (Date.now() > deadline) throw new Error('Kratos did not pick up the new configuration within 20s');
    await new Promise((r) => setTimeout(r, 100));
  }
}
