import type { OAuthContext } from "../context";
import type { Params } from "../params";
import { narrowResources } from "../resources";
import { accessTokenAudience } from "../tokens/access-token";

export type ResourceNarrowing = (grant: { resources: string[]; scopes: string[] }) => string[];

/**
 * Reads the `resource` values of a token request and returns the check that
 * turns a grant into the resources of the access token: those values,
 * narrowing the grant's (RFC 8707 §2.2), else all of them (null: no check
 * needed). The check is synchronous so grants run it before spending a code
 * or refresh token.
 */
export async function resourceNarrowing(ctx: OAuthContext, params: Params): Promise<ResourceNarrowing | null> {
  const requested = params.all("resource");
  if (!requested.length) return null;
  const resourceServers = await ctx.store.resourceServers();
  return (grant) => {
    const audience = accessTokenAudience(ctx.issuer, grant.resources, grant.scopes);
    return narrowResources(requested, { resources: grant.resources, audience }, ctx.issuer, resourceServers);
  };
}
