import { findApiKey } from "../auth/api-keys";
import { policyFor } from "../clients/policy";
import type { PrismaClient } from "../db/generated/client.ts";
import { authenticateClient, readClientCredentials } from "./client-auth";
import { invalidClient, invalidRequest } from "./errors";
import { readParams } from "./params";
import { lookUpToken } from "./token-lookup";

type Caller = { kind: "owner" } | { kind: "app"; clientId: string };

/**
 * Who is introspecting: an owner API key (sees every token) or a
 * confidential app (sees only tokens issued to itself, as
 * node-oidc-provider does by default). Public apps cannot introspect.
 */
async function authenticateCaller(prisma: PrismaClient, authorization: string | null, form: URLSearchParams): Promise<Caller> {
  if (authorization !== null && /^bearer /i.test(authorization)) {
    if (await findApiKey(prisma, authorization.slice(7).trim())) return { kind: "owner" };
    throw invalidClient("The API key is invalid or revoked", 'Bearer realm="connected-apps", error="invalid_token"');
  }
  const app = await authenticateClient(prisma, readClientCredentials(authorization, form));
  if (!policyFor(app.clientType).confidential) throw invalidClient("Only confidential apps and owner API keys may introspect tokens");
  return { kind: "app", clientId: app.clientId };
}

/** RFC 7662: `{active: false}` for anything expired, revoked, unknown or not the caller's to see. */
export async function introspect(
  prisma: PrismaClient,
  issuer: string,
  request: { authorization: string | null; form: URLSearchParams },
  now = new Date(),
): Promise<Record<string, unknown>> {
  const params = readParams(request.form);
  const caller = await authenticateCaller(prisma, request.authorization, request.form);
  const token = params.get("token");
  if (!token) throw invalidRequest("token is required");
  const found = await lookUpToken(prisma, issuer, token, now);
  if (!found || !found.active) return { active: false };
  if (caller.kind === "app" && caller.clientId !== found.clientId) return { active: false };
  return { active: true, ...found.claims };
}
