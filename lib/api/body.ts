import { readCappedBody } from "../capped-body";
import type { z } from "zod";
import { fieldErrors } from "../clients/app-input";
import { ApiError, invalidBody, invalidRequest } from "./api-error";
import { UNSTORABLE_MESSAGE, unstorablePaths } from "../text";

/** Largest request body the management API reads (an app's settings are a few KB). */
export const MAX_BODY_BYTES = 64 * 1024;

const tooLarge = () => new ApiError("payload_too_large", `The request body must be at most ${MAX_BODY_BYTES} bytes`);

/**
 * Reads a JSON object body, at most `limit` bytes: 413 beyond that (checked
 * on Content-Length first, then while streaming, so a missing or lying header
 * cannot make the server buffer more), 400 `invalid_request` for invalid
 * UTF-8 or JSON or a value that is not an object, 400 `invalid_body` for
 * strings the database cannot store (lib/text.ts). Field validation is
 * the caller's (zod) job.
 */
export async function readJsonObject(request: Request, limit = MAX_BODY_BYTES): Promise<Record<string, unknown>> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > limit) throw tooLarge();
  const text = await readText(request, limit);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidRequest("The request body is not valid JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalidRequest("The request body must be a JSON object");
  }
  const unstorable = unstorablePaths(value);
  if (unstorable.length > 0) throw invalidBody(Object.fromEntries(unstorable.map((path) => [path, UNSTORABLE_MESSAGE])));
  return value as Record<string, unknown>;
}

async function readText(request: Request, limit: number): Promise<string> {
  const body = await readCappedBody(request, limit);
  if (!body) throw tooLarge();
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    throw invalidRequest("The request body is not valid UTF-8");
  }
}

/** Reads a JSON object body and validates it; zod issues become per-field messages (400 `invalid_body`). */
export async function readBody<S extends z.ZodType>(request: Request, schema: S): Promise<z.output<S>> {
  const parsed = schema.safeParse(await readJsonObject(request));
  if (!parsed.success) throw invalidBody(fieldErrors(parsed.error));
  return parsed.data;
}
