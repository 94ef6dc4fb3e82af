// The identity schemas as Kratos serves them (GET /schemas, captured from the real Kratos by
// infra/local/capture-fixtures.mjs), read for traits with a fixed set of values.
import { describe, expect, it } from 'vitest';
import schemas from '../fixtures/v1.3.1/schemas.json';
import newer from '../fixtures/schemas.json';
import { enumChoices } from './schemas';

type Served = { id: string; schema: unknown }[];

describe('enumChoices over the identity schema Kratos serves', () => {
  for (const [version, answer] of [['v1.3.1', schemas], ['v26.2.0', newer]] as const) {
    it(`finds the account type among the traits, in the schema's order, and nothing else (Kratos ${version})`, () => {
      const served = answer.body as Served;
      expect(served.map((s) => s.id)).toEqual(['default']);
      expect(enumChoices(served[0]!.schema)).toEqual({ 'traits.account_type': ['educator', 'student'] });
    });
  }

  it('reads nested traits by their node name, and leaves out enums that are not all strings or not under traits', () => {
    const schema = structuredClone((schemas.body as Served)[0]!.schema) as {
      properties: { traits: { properties: Record<string, { properties?: Record<string, object> }> } } & Record<string, object>;
    };
    schema.properties.traits.properties.name!.properties!.title = { type: 'string', enum: ['Dr', 'Prof'] };
    schema.properties.traits.properties.level = { type: 'integer', enum: [1, 2] } as object;
    schema.properties.other = { type: 'string', enum: ['x'] };
    expect(enumChoices(schema)).toEqual({ 'traits.account_type': ['educator', 'student'], 'traits.name.title': ['Dr', 'Prof'] });
  });

  it('finds nothing in something that is not a schema', () => {
    expect(enumChoices(null)).toEqual({});
    expect(enumChoices('{"properties":{}}')).toEqual({});
    expect(enumChoices({ properties: { traits: { properties: { a: { enum: [] } } } } })).toEqual({});
  });
});
