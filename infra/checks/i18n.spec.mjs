// The message list the catalogs are checked against is Kratos's own (frontend/src/i18n/).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extract, kratosTextDir, OUTPUT, parseMessages } from '../local/kratos-messages.mjs';

describe('Kratos\'s message list (frontend/src/i18n/kratos-messages.json)', () => {
  it('is current: reading the pinned Kratos\'s text/*.go again changes nothing', async () => {
    expect(JSON.parse(readFileSync(OUTPUT, 'utf8'))).toEqual(extract(await kratosTextDir()));
  });

  it('reads literal, concatenated, Sprintf and assigned texts, and the context keys', () => {
    const source = `package text
func A() *Message {
	return &Message{
		ID:   One,
		Text: "An account " +
			"exists.",
	}
}
func B(n int) *Message {
	reason := fmt.Sprintf("at least %d", n)
	return &Message{
		ID:   Two,
		Text: reason,
		Context: context(map[string]any{
			"min": n,
		}),
	}
}`;
    expect(parseMessages(source)).toEqual([
      { name: 'One', text: 'An account exists.', context: [] },
      { name: 'Two', text: 'at least %d', context: ['min'] },
    ]);
  });
});
