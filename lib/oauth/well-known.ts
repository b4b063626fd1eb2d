import type { OAuthContext } from "./context";
import { discoveryDocument } from "./discovery";
import { protectedResourceMetadata } from "./protected-resource";

// Public, cacheable documents; CORS-open so browser clients can read them.
const PUBLIC_HEADERS = {
  "Cache-Control": "public, max-age=300",
  "Access-Control-Allow-Origin": "*",
};

const json = (body: string, headers: Record<string, string> = {}) =>
  new Response(body, { headers: { "Content-Type": "application/json", ...PUBLIC_HEADERS, ...headers } });

// Serialised once per distinct value: the documents change only with settings and keys.
const discoveryBodies = new Map<string, string>();
const jwksBodies = new WeakMap<object, string>();

/** GET handler for both discovery URLs (RFC 8414 §3, OIDC Discovery §4). */
export async function discoveryResponse(ctx: OAuthContext): Promise<Response> {
  const { dcrEnabled, cimdEnabled } = await ctx.store.registrationSettings();
  const key = `${ctx.issuer} ${dcrEnabled} ${cimdEnabled}`;
  let body = discoveryBodies.get(key);
  if (body === undefined) {
    body = JSON.stringify(discoveryDocument(ctx.issuer, { dcr_enabled: dcrEnabled, cimd_enabled: cimdEnabled }));
    discoveryBodies.set(key, body);
  }
  return json(body);
}

/** GET handler for the JWKS (the key ring re-reads the keys at most every 10 s). */
export async function jwksResponse(ctx: OAuthContext): Promise<Response> {
  const jwks = await ctx.keys.jwks();
  let body = jwksBodies.get(jwks);
  if (body === undefined) jwksBodies.set(jwks, (body = JSON.stringify(jwks)));
  return json(body, { "Content-Type": "application/jwk-set+json" });
}

/** GET handler for the protected-resource metadata of the project's API (RFC 9728 §3). */
export function protectedResourceResponse(ctx: OAuthContext): Response {
  return Response.json(protectedResourceMetadata(ctx.issuer), { headers: PUBLIC_HEADERS });
}
