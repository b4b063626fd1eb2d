import { policyFor } from "../clients/policy";
import { bearerChallenge, parseBearerHeader } from "./bearer-header";
import { authenticateClient, readClientCredentials } from "./client-auth";
import type { OAuthContext } from "./context";
import { invalidClient, invalidRequest } from "./oauth-error";
import { readParams } from "./params";
import type { FormRequest } from "./token-endpoint";
import { lookUpToken } from "./token-lookup";

type Caller = { kind: "owner" } | { kind: "app"; clientId: string };

/**
 * Who is introspecting: an owner API key (sees every token) or a
 * confidential app (sees only tokens issued to itself, as
 * node-oidc-provider does by default). Public apps cannot introspect.
 */
async function authenticateCaller(ctx: OAuthContext, request: FormRequest): Promise<Caller> {
  const { authorization, form, requester } = request;
  const apiKey = parseBearerHeader(authorization);
  if (apiKey !== null) {
    if (apiKey !== "malformed" && (await ctx.store.ownerApiKeyValid(apiKey))) return { kind: "owner" };
    throw invalidClient("The API key is invalid or revoked", bearerChallenge({ code: "invalid_token" }));
  }
  const client = await authenticateClient(ctx, readClientCredentials(authorization, form), requester);
  if (!policyFor(client.clientType).confidential) throw invalidClient("Only confidential apps and owner API keys may introspect tokens");
  return { kind: "app", clientId: client.clientId };
}

/** RFC 7662: `{active: false}` for anything expired, revoked, unknown or not the caller's to see. */
export async function introspect(ctx: OAuthContext, request: FormRequest): Promise<Record<string, unknown>> {
  const now = ctx.clock();
  const params = readParams(request.form);
  const caller = await authenticateCaller(ctx, request);
  const token = params.get("token");
  if (!token) throw invalidRequest("token is required");
  const found = await lookUpToken(ctx, token, now);
  if (!found || !found.active) return { active: false };
  if (caller.kind === "app" && caller.clientId !== found.clientId) return { active: false };
  return { active: true, ...found.claims };
}
