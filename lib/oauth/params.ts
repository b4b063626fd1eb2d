import { invalidRequest } from "./errors";

/** Parameters that may repeat (RFC 8707 §2: `resource`); every other one must appear at most once (RFC 6749 §3.1). */
const REPEATABLE = new Set(["resource"]);
const MAX_VALUE_LENGTH = 4096;

/**
 * Reads protocol parameters, refusing repeats and oversize values. Empty
 * values count as absent (RFC 6749 §3.1: "parameters sent without a value
 * MUST be treated as if they were omitted").
 */
export function readParams(source: URLSearchParams): { get(name: string): string | undefined; all(name: string): string[] } {
  const seen = new Set<string>();
  for (const [name, value] of source) {
    if (value.length > MAX_VALUE_LENGTH) throw invalidRequest(`${name} is too long`);
    if (value === "" || REPEATABLE.has(name)) continue;
    if (seen.has(name)) throw invalidRequest(`${name} must not be repeated`);
    seen.add(name);
  }
  return {
    get: (name) => source.getAll(name).find((v) => v !== ""),
    all: (name) => source.getAll(name).filter((v) => v !== ""),
  };
}

export type Params = ReturnType<typeof readParams>;

const FORM = "application/x-www-form-urlencoded";
export const MAX_FORM_BYTES = 64 * 1024;

/** The body of a form POST (token, introspection, revocation, authorize POST), size-capped. */
export async function readForm(request: Request): Promise<URLSearchParams> {
  const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (type !== FORM) throw invalidRequest(`The request body must be ${FORM}`);
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > MAX_FORM_BYTES) throw invalidRequest("The request body is too large");
  const body = await request.arrayBuffer().catch(() => {
    throw invalidRequest("The request body could not be read");
  });
  if (body.byteLength > MAX_FORM_BYTES) throw invalidRequest("The request body is too large");
  const text = new TextDecoder("utf-8", { fatal: false }).decode(body);
  try {
    return new URLSearchParams(text);
  } catch {
    throw invalidRequest("The request body is not a valid form");
  }
}
