// The axe-core check every spec uses where it asks for 0 accessibility violations in a state
// (e2e/accessibility.spec.ts has the control test that shows it reports real problems).
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect } from './fixtures';

/** axe-core's WCAG 2.x A/AA rules and best practices, on the whole page. */
export async function violations(page: Page): Promise<string[]> {
  await expect(page.locator('main')).toHaveAttribute('aria-busy', 'false');
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

export async function expectNoViolations(page: Page, state: string): Promise<void> {
  expect(await violations(page), `axe violations in: ${state}`).toEqual([]);
}
