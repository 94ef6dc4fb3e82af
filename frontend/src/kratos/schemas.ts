// The identity schemas Kratos serves (GET /schemas), read for what a flow's UI nodes do not say:
// Kratos v1.3.1 renders a trait limited to a fixed set of values (JSON Schema `enum`) as a plain
// text input, with no options. Asked once per page load, by the first form with traits, and
// kept. Without them (Kratos unreachable, an odd schema) the fields stay plain text: Kratos
// checks the value either way.
import { call, kratos, requestInit } from './client';

/** Node name ("traits.account_type") → the values it may take, in the schema's order. */
export type Choices = Record<string, string[]>;

let schemas: Promise<Map<string, unknown>> | null = null;

function loadSchemas(signal: AbortSignal): Promise<Map<string, unknown>> {
  schemas ??= (async () => {
    const answer = await call(() => kratos.get('/schemas', {}, requestInit(signal)));
    if (answer.status !== 200 || !Array.isArray(answer.body)) throw new Error(`GET /schemas answered ${answer.status}`);
    return new Map((answer.body as { id?: unknown; schema?: unknown }[]).map((s) => [String(s.id), s.schema]));
  })();
  schemas.catch(() => (schemas = null)); // asked again by the next flow
  return schemas;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every property under the schema's traits with an `enum` of strings, by its node name. */
export function enumChoices(schema: unknown): Choices {
  const choices: Choices = {};
  const walk = (node: unknown, name: string): void => {
    if (!isObject(node)) return;
    if (Array.isArray(node.enum) && node.enum.length > 0 && node.enum.every((v) => typeof v === 'string')) choices[name] = node.enum as string[];
    if (isObject(node.properties)) for (const [key, child] of Object.entries(node.properties)) walk(child, `${name}.${key}`);
  };
  const traits = isObject(schema) && isObject(schema.properties) ? schema.properties.traits : undefined;
  if (isObject(traits) && isObject(traits.properties)) for (const [key, child] of Object.entries(traits.properties)) walk(child, `traits.${key}`);
  return choices;
}

/**
 * The choices of the schema `schemaId` (a settings flow names its identity's), or, for a
 * sign-up, of the only schema or the one called "default" (Kratos's registration flow does not
 * say which it uses). Empty when the schemas cannot be read.
 */
export async function choicesFor(schemaId: string | undefined, signal: AbortSignal): Promise<Choices> {
  try {
    const all = await loadSchemas(signal);
    const schema = schemaId !== undefined ? all.get(schemaId) : all.size === 1 ? [...all.values()][0] : all.get('default');
    return enumChoices(schema);
  } catch {
    return {};
  }
}
