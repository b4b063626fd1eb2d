import { z } from "zod";

/** Where component schemas are referenced from. */
export const SCHEMA = "#/components/schemas/";

export type JsonSchema = Record<string, unknown>;

/**
 * OpenAPI component schemas generated from zod schemas, by component name:
 * responses as zod outputs, request bodies as inputs, references between
 * them as `#/components/schemas/<name>`.
 */
export function componentSchemasOf(responses: Record<string, z.ZodType>, requests: Record<string, z.ZodType>): Record<string, JsonSchema> {
  const uri = (id: string) => `${SCHEMA}${id}`;
  const registry = (schemas: Record<string, z.ZodType>) => {
    const r = z.registry<{ id: string }>();
    for (const [id, schema] of Object.entries(schemas)) r.add(schema, { id });
    return r;
  };
  const all: Record<string, JsonSchema> = {
    ...z.toJSONSchema(registry(responses), { uri, io: "output" }).schemas,
    ...z.toJSONSchema(registry(requests), { uri, io: "input" }).schemas,
  };
  for (const schema of Object.values(all)) {
    delete schema.$id; // the component's place in the document names it
    delete schema.$schema; // OpenAPI 3.1's default dialect is JSON Schema 2020-12
  }
  return all;
}

/** Shorthands the path modules share: a schema reference, a JSON body, a 200 with a schema, a shared response. */
export const schemaRef = (name: string) => ({ $ref: `${SCHEMA}${name}` });
export const jsonContent = (schema: object) => ({ "application/json": { schema } });
export const okResponse = (description: string, schema: string) => ({ description, content: jsonContent(schemaRef(schema)) });
export const responseRef = (name: string) => ({ $ref: `#/components/responses/${name}` });
