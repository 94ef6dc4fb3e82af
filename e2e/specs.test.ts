// @vitest-environment node
// Every e2e spec runs its pages under the page watch (fixtures.ts: CSP and Trusted Types
// violations, uncaught errors and route crashes fail the test): a spec that takes Playwright's
// own `test` or `expect` escapes it. Type imports from '@playwright/test' are fine.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const dir = new URL('./', import.meta.url);
const specs = readdirSync(dir).filter((f) => f.endsWith('.spec.ts'));

/** The runtime names a file imports from '@playwright/test' (type-only imports left out). */
export function runtimeImportsFromPlaywright(source: string): string[] {
  const names: string[] = [];
  for (const m of source.matchAll(/import\s+(type\s+)?\{([^}]*)\}\s+from\s+['"]@playwright\/test['"]/g)) {
    if (m[1]) continue;
    for (const part of m[2]!.split(',').map((p) => p.trim()).filter(Boolean)) if (!part.startsWith('type ')) names.push(part);
  }
  for (const m of source.matchAll(/import\s+(?!type\b)(\w+|\*\s+as\s+\w+)\s*(,|from)[^;]*['"]@playwright\/test['"]/g)) names.push(m[1]!);
  return names;
}

describe('e2e specs', () => {
  it('are there to check', () => {
    expect(specs.length).toBeGreaterThan(10);
  });

  it.each(specs)('%s takes test and expect from ./fixtures, not from @playwright/test', (file) => {
    expect(runtimeImportsFromPlaywright(readFileSync(new URL(file, dir), 'utf8'))).toEqual([]);
  });

  it('control: the guard sees a runtime import (the old registration-hooks spec), and lets type imports through', () => {
    expect(runtimeImportsFromPlaywright("import { expect, test, type Page } from '@playwright/test';")).toEqual(['expect', 'test']);
    expect(runtimeImportsFromPlaywright("import type { Page } from '@playwright/test';")).toEqual([]);
    expect(runtimeImportsFromPlaywright("import base from '@playwright/test';")).toEqual(['base']);
  });
});
