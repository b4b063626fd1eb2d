import { isUnstorable } from "../text";
import { readCappedBody } from "../capped-body";
import { invalidRequest } from "./oauth-error";

/** Parameters that may repeat (RFC 8707 §2: `resource`); every other one must appear at most once (RFC 6749 §3.1). */
const REPEATABLE = new Set(["resource"]);
const MAX_VALUE_LENGTH = 4096;

/**
 * Reads protocol parameters, refusing repeats, oversize values and values
 * the database cannot hold (NUL, unpaired surrogates). Empty values count as
 * absent (RFC 6749 §3.1: "parameters sent without a value MUST be treated as
 * if they were omitted"). The authorization endpoint checks storability
 * itself (`storable: false`), once it knows where errors may be redirected.
 */
export function readParams(
  source: URLSearchParams,
  options: { storable?: boolean } = {},
): { get(name: string): string | undefined; all(name: string): string[] } {
  const seen = new Set<string>();
  for (const [name, value] of source) {
    if (value.length > MAX_VALUE_LENGTH) throw invalidRequest(`${name} is too long`);
    if (options.storable !== false && (isUnstorable(name) || isUnstorable(value))) throw invalidRequest(`${safeName(name)} ${UNSTORABLE}`);
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

const UNSTORABLE = "must not contain NUL characters or unpaired surrogates";
const safeName = (name: string) => (isUnstorable(name) ? "A parameter name" : name);

/** Whether any parameter name or value cannot be stored. */
export function hasUnstorable(source: URLSearchParams): boolean {
  for (const [name, value] of source) if (isUnstorable(name) || isUnstorable(value)) return true;
  return false;
}

const FORM = "application/x-www-form-urlencoded";
export const MAX_FORM_BYTES = 64 * 1024;

/** The body of a form POST (token, introspection, revocation, authorize POST), size-capped. */
export async function readForm(request: Request): Promise<URLSearchParams> {
  const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (type !== FORM) throw invalidRequest(`The request body must be ${FORM}`);
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > MAX_FORM_BYTES) throw invalidRequest("The request body is too large");
  const body = await readCappedBody(request, MAX_FORM_BYTES).catch(() => {
    throw invalidRequest("The request body could not be read");
  });
  if (!body) throw invalidRequest("The request body is too large");
  const text = new TextDecoder("utf-8", { fatal: false }).decode(body);
  try {
    return new URLSearchParams(text);
  } catch {
    throw invalidRequest("The request body is not a valid form");
  }
}
