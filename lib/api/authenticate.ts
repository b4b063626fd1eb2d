import type { Actor } from "../audit";
// Renamed: a `use…` call outside a component trips React's rules-of-hooks lint.
import { authenticateApiKey } from "../auth/api-keys";
import type { PrismaClient } from "../db/generated/client.ts";
import { parseBearerHeader } from "../oauth/bearer-header";
import { invalidToken } from "./api-error";

/**
 * Authenticates a management-API request with an owner API key: returns the
 * actor (the key's use is recorded in the audit log), or throws a 401
 * `invalid_token` for a missing, unknown or revoked key, or a key whose owner
 * is no longer an owner (lib/auth/api-keys.ts does not tell those apart).
 */
export async function authenticate(prisma: PrismaClient, request: Request): Promise<Actor> {
  const token = parseBearerHeader(request.headers.get("authorization"));
  if (token === null) throw invalidToken("Send an owner API key as `Authorization: Bearer <key>`", false);
  if (token === "malformed") throw invalidToken("The Authorization header is not a valid Bearer credential", true);
  const actor = await authenticateApiKey(prisma, token, { method: request.method, path: new URL(request.url).pathname });
  if (!actor) throw invalidToken("The API key is unknown or revoked", true);
  return actor;
}
