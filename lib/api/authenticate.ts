import type { Actor } from "../audit";
// Renamed: a `use…` call outside a component trips React's rules-of-hooks lint.
import { authenticateApiKey } from "../auth/api-keys";
import type { PrismaClient } from "../db/generated/client.ts";
import { invalidToken } from "./api-error";

/** RFC 6750 §2.1: `Bearer` (any case), one or more spaces, a token68. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * The credential of an `Authorization` header: the Bearer token, `"malformed"`
 * for a Bearer header without a valid token, or null when no Bearer
 * credential was sent at all (no header, or another scheme).
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 */
export function bearerToken(header: string | null): string | "malformed" | null {
  if (header === null || !/^Bearer(\s|$)/i.test(header)) return null;
  return BEARER.exec(header)?.[1] ?? "malformed";
}

/**
 * Authenticates a management-API request with an owner API key: returns the
 * actor (the key's use is recorded in the audit log), or throws a 401
 * `invalid_token` for a missing, unknown or revoked key, or a key whose owner
 * is no longer an owner (lib/auth/api-keys.ts does not tell those apart).
 */
export async function authenticate(prisma: PrismaClient, request: Request): Promise<Actor> {
  const token = bearerToken(request.headers.get("authorization"));
  if (token === null) throw invalidToken("Send an owner API key as `Authorization: Bearer <key>`", false);
  if (token === "malformed") throw invalidToken("The Authorization header is not a valid Bearer credential", true);
  const actor = await authenticateApiKey(prisma, token, { method: request.method, path: new URL(request.url).pathname });
  if (!actor) throw invalidToken("The API key is unknown or revoked", true);
  return actor;
}
