import { z } from "zod";

/**
 * Checks real responses against an OpenAPI 3.1 document: the status must be
 * documented for the operation, and the JSON body must validate against the
 * documented schema. Schemas are compiled back to zod with zod 4's
 * `z.fromJSONSchema` (component refs rewritten to `$defs`), independent of
 * the zod schemas the document was generated from.
 */
export interface OpenApiDocument {
  paths: Record<string, Record<string, { responses: Record<string, ResponseObject | { $ref: string }> }>>;
  components: { schemas: Record<string, unknown>; responses?: Record<string, ResponseObject> };
}
interface ResponseObject {
  description: string;
  content?: Record<string, { schema: unknown }>;
  headers?: Record<string, unknown>;
}

/** Returns a checker: `problems(method, path, status, body)` lists what does not match ([] when all does). */
export function openApiChecker(doc: OpenApiDocument) {
  const templates = Object.keys(doc.paths).map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}/]+\}/g, "[^/]+")}$`),
  }));
  const compiled = new Map<string, z.ZodType>();

  function compile(schema: unknown): z.ZodType {
    const key = JSON.stringify(schema);
    let validator = compiled.get(key);
    if (!validator) {
      const defs = rewriteRefs(doc.components.schemas) as Record<string, unknown>;
      validator = z.fromJSONSchema({ ...(rewriteRefs(schema) as object), $defs: defs } as never);
      compiled.set(key, validator);
    }
    return validator;
  }

  /** The documented response for a call, or a problem. */
  function documentedResponse(method: string, path: string, status: number): ResponseObject | string {
    const match = templates.find((t) => t.pattern.test(path));
    if (!match) return `path ${path} is not in the document`;
    const operation = doc.paths[match.template]![method.toLowerCase()];
    if (!operation) return `${method} ${match.template} is not in the document`;
    let response = operation.responses[String(status)];
    if (!response) return `${method} ${match.template} does not document status ${status}`;
    if ("$ref" in response) {
      const name = response.$ref.replace("#/components/responses/", "");
      response = doc.components.responses?.[name] as ResponseObject;
      if (!response) return `unresolved response reference ${name}`;
    }
    return response;
  }

  return function problems(method: string, path: string, status: number, body: string): string[] {
    const response = documentedResponse(method, path, status);
    if (typeof response === "string") return [response];
    const schema = response.content?.["application/json"]?.schema;
    if (!schema) return body === "" ? [] : [`${method} ${path} ${status} documents no body but got: ${body.slice(0, 200)}`];
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      return [`${method} ${path} ${status}: the body is not JSON: ${body.slice(0, 200)}`];
    }
    const result = compile(schema).safeParse(value);
    return result.success
      ? []
      : result.error.issues.map((issue) => `${method} ${path} ${status}: ${issue.path.join(".") || "(body)"}: ${issue.message}`);
  };
}

/** `#/components/schemas/X` → `#/$defs/X`, everywhere in a schema. */
function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      k === "$ref" && typeof v === "string" ? v.replace("#/components/schemas/", "#/$defs/") : rewriteRefs(v),
    ]),
  );
}
