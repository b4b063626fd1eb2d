import { OAuthError } from "./oauth-error";

/** At most this many `resource` values per request. */
export const MAX_RESOURCES = 10;

/** A pathless URI (`https://mcp.example.com` or `https://mcp.example.com/`) without its trailing slash; others as they are. */
function comparable(value: string): string {
  if (!value.endsWith("/")) return value;
  try {
    const url = new URL(value);
    return url.pathname === "/" && !url.search ? value.slice(0, -1) : value;
  } catch {
    return value;
  }
}

/** Whether two resource identifiers name the same resource: exactly equal, or pathless and differing only by a trailing slash. */
export function sameResource(a: string, b: string): boolean {
  return comparable(a) === comparable(b);
}

/**
 * Checks requested `resource` values (RFC 8707 §2) against the resources the
 * project issues tokens for: its own API (the issuer) and the owner's listed
 * resource servers. Returns them in the registered spelling, which becomes
 * the access token's `aud`; anything else is `invalid_target`.
 * @see https://www.rfc-editor.org/rfc/rfc8707#section-2
 */
export function allowedResources(requested: string[], issuer: string, resourceServers: string[]): string[] {
  const known = [issuer, ...resourceServers];
  const resolved = requested.map((value) => {
    const match = known.find((registered) => sameResource(registered, value));
    if (match === undefined) throw new OAuthError("invalid_target", `resource ${value} is not a resource server of this project`);
    return match;
  });
  return [...new Set(resolved)];
}

/**
 * The resources of one token request (RFC 8707 §2.2): without `resource`, all
 * the grant's; with it, a subset of what the grant's access tokens may be
 * for (its resources, else the project's API; the issuer too with `openid`),
 * each still a resource of this project. Anything else is `invalid_target`.
 * @see https://www.rfc-editor.org/rfc/rfc8707#section-2.2
 */
export function narrowResources(
  requested: string[],
  grant: { resources: string[]; audience: string[] },
  issuer: string,
  resourceServers: string[],
): string[] {
  if (!requested.length) return grant.resources;
  if (requested.length > MAX_RESOURCES) throw new OAuthError("invalid_target", `At most ${MAX_RESOURCES} resource values`);
  const wanted = allowedResources(requested, issuer, resourceServers);
  const outside = wanted.filter((resource) => !grant.audience.includes(resource));
  if (outside.length) throw new OAuthError("invalid_target", `The grant does not cover resource ${outside.join(" ")}`);
  return wanted;
}
