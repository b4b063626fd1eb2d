import type { PrismaClient } from "../../db/generated/client.ts";
import { getProjectSettings } from "../../settings";
import type { Params } from "../params";
import { narrowResources } from "../resources";
import { accessTokenAudience } from "../tokens/access-token";

/**
 * Reads the `resource` values of a token request and returns the check that
 * turns a grant into the resources of the access token: those values,
 * narrowing the grant's (RFC 8707 §2.2), else all of them. The check is
 * synchronous so grants run it before spending a code or refresh token.
 */
export async function resourceNarrowing(
  prisma: PrismaClient,
  ctx: { issuer: string; params: Params },
): Promise<(grant: { resources: string[]; scopes: string[] }) => string[]> {
  const requested = ctx.params.all("resource");
  if (!requested.length) return (grant) => grant.resources;
  const { resource_servers } = await getProjectSettings(prisma);
  return (grant) => {
    const audience = accessTokenAudience(ctx.issuer, grant.resources, grant.scopes);
    return narrowResources(requested, { resources: grant.resources, audience }, ctx.issuer, resource_servers);
  };
}
