import { authenticateClient, readClientCredentials } from "./client-auth";
import type { OAuthContext } from "./context";
import { invalidRequest } from "./oauth-error";
import { readParams } from "./params";
import type { FormRequest } from "./token-endpoint";
import { lookUpToken } from "./token-lookup";

/**
 * RFC 7009: the client revokes one of its own tokens. A refresh token ends
 * its whole family (its access tokens introspect as inactive); an access
 * token is revoked alone. Unknown tokens and other clients' tokens get the
 * same 200 as success (§2.2), so the endpoint reveals nothing.
 */
export async function revokeToken(ctx: OAuthContext, request: FormRequest): Promise<void> {
  const now = ctx.clock();
  const params = readParams(request.form);
  const client = await authenticateClient(ctx, readClientCredentials(request.authorization, request.form), request.requester);
  const token = params.get("token");
  if (!token) throw invalidRequest("token is required");
  const found = await lookUpToken(ctx, token, now);
  if (!found || found.clientId !== client.clientId) return;
  if (found.kind === "refresh_token") await ctx.store.revokeFamily(found.familyId, now);
  else await ctx.store.revokeAccessToken(found.jti, new Date(found.exp * 1000));
}
