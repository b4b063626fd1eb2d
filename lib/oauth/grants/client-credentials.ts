import type { OAuthContext } from "../context";
import { OAuthError } from "../oauth-error";
import { MAX_RESOURCES, sameResource } from "../resources";
import { parseScope } from "../scopes";
import type { ClientGrant } from "../store";
import type { GrantRequest } from "../token-endpoint";
import { signAccessToken } from "../tokens/access-token";
import { machineJtiPrefix } from "../tokens/families";
import { accessTokenBinding, tokenType, type TokenResponse } from "./issue-tokens";

/**
 * The grants a machine client can use now: those whose resource server is
 * still one of the project's (the owner may have removed it from the
 * `resource_servers` setting since), in the setting's spelling.
 */
async function usableGrants(ctx: OAuthContext, grants: readonly ClientGrant[]): Promise<ClientGrant[]> {
  const resourceServers = await ctx.store.resourceServers();
  return grants.flatMap((grant) => {
    const server = resourceServers.find((registered) => sameResource(registered, grant.resource));
    return server === undefined ? [] : [{ resource: server, scopes: grant.scopes }];
  });
}

/**
 * The one grant a request is for (RFC 8707 §2): the one named by
 * `resource`, or without it the only grant there is. One resource per
 * request: a token's `scope` is the scopes of that one resource server.
 */
function chosenGrant(requested: string[], grants: ClientGrant[]): ClientGrant {
  if (!grants.length) throw new OAuthError("unauthorized_client", "This machine client is not authorized for any resource server");
  if (requested.length > MAX_RESOURCES) throw new OAuthError("invalid_target", `At most ${MAX_RESOURCES} resource values`);
  const distinct = requested.filter((value, i) => requested.findIndex((other) => sameResource(other, value)) === i);
  if (distinct.length > 1) throw new OAuthError("invalid_target", "Ask for one resource per client_credentials request");
  if (!distinct.length) {
    if (grants.length > 1) throw new OAuthError("invalid_target", "resource is required: this client is authorized for several resource servers");
    return grants[0]!;
  }
  const grant = grants.find((g) => sameResource(g.resource, distinct[0]!));
  if (!grant) throw new OAuthError("invalid_target", `This client is not authorized for resource ${distinct[0]}`);
  return grant;
}

/**
 * grant_type=client_credentials (RFC 6749 §4.4): a machine client's token
 * for itself. `sub` is its client_id (RFC 9068 §2.2: no user), `aud` the one
 * granted resource server, `scope` the requested scopes, each granted for
 * it (all of them when none is asked for). No refresh token (§4.4.3), no ID
 * token, nothing stored: a token's life is checked against its client.
 */
export async function clientCredentialsGrant(ctx: OAuthContext, request: GrantRequest): Promise<TokenResponse> {
  const { params, client, now } = request;
  const requestedScopes = parseScope(params.get("scope"));
  const grant = chosenGrant(params.all("resource"), await usableGrants(ctx, client.clientGrants));
  const notGranted = requestedScopes.filter((scope) => !grant.scopes.includes(scope));
  if (notGranted.length) throw new OAuthError("invalid_scope", `Not granted for ${grant.resource}: ${notGranted.join(" ")}`);
  const scopes = requestedScopes.length ? requestedScopes : [...grant.scopes];
  const dpopJkt = accessTokenBinding(request);
  const { token, expiresIn } = await signAccessToken(ctx, {
    issuer: ctx.issuer,
    subject: client.clientId,
    clientId: client.clientId,
    scopes,
    audience: [grant.resource],
    jtiPrefix: machineJtiPrefix(client.id),
    ttlSeconds: client.accessTokenTtlSeconds,
    now,
    dpopJkt,
  });
  return { access_token: token, token_type: tokenType(dpopJkt), expires_in: expiresIn, scope: scopes.join(" ") };
}
