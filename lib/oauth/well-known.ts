import type { OAuthContext } from "./context";
import { discoveryDocument } from "./discovery";
import { protectedResourceMetadata } from "./protected-resource";

// Public, cacheable documents; CORS-open so browser clients can read them.
const PUBLIC_HEADERS = {
  "Cache-Control": "public, max-age=300",
  "Access-Control-Allow-Origin": "*",
};

/**
 * A public JSON document as sent: its text, its bytes and its headers. Each
 * is built once per distinct value (the documents change only with the
 * issuer, the registration settings and the signing keys), so the
 * production server can write the bytes without building a Response
 * (lib/http/protocol-routes.ts).
 */
export interface PublicDocument {
  readonly text: string;
  readonly bytes: Buffer;
  readonly headers: Readonly<Record<string, string>>;
}

function publicDocument(value: unknown, contentType = "application/json"): PublicDocument {
  const text = JSON.stringify(value);
  return { text, bytes: Buffer.from(text), headers: { "Content-Type": contentType, ...PUBLIC_HEADERS } };
}

/** The Response of a public document (what the route handlers return). */
export function documentResponse(document: PublicDocument): Response {
  return new Response(document.text, { headers: document.headers });
}

const discoveryDocuments = new Map<string, PublicDocument>();
const jwksDocuments = new WeakMap<object, PublicDocument>();
const resourceDocuments = new Map<string, PublicDocument>();

/** The discovery document, for both URLs (RFC 8414 §3, OIDC Discovery §4). */
export async function discovery(ctx: OAuthContext): Promise<PublicDocument> {
  const [{ dcrEnabled, cimdEnabled }, requirePar] = await Promise.all([ctx.store.registrationSettings(), ctx.store.pushedRequestsRequired()]);
  const settings = { dcr_enabled: dcrEnabled, cimd_enabled: cimdEnabled, require_par: requirePar };
  const key = `${ctx.issuer} ${dcrEnabled} ${cimdEnabled} ${requirePar}`;
  let document = discoveryDocuments.get(key);
  if (!document) discoveryDocuments.set(key, (document = publicDocument(discoveryDocument(ctx.issuer, settings))));
  return document;
}

/** The JWKS (the key ring re-reads the keys at most every 10 s; a new key set is a new object). */
export async function jwks(ctx: OAuthContext): Promise<PublicDocument> {
  const keys = await ctx.keys.jwks();
  let document = jwksDocuments.get(keys);
  if (!document) jwksDocuments.set(keys, (document = publicDocument(keys, "application/jwk-set+json")));
  return document;
}

/** The protected-resource metadata of the project's API (RFC 9728 §3). */
export function protectedResource(ctx: OAuthContext): PublicDocument {
  let document = resourceDocuments.get(ctx.issuer);
  if (!document) resourceDocuments.set(ctx.issuer, (document = publicDocument(protectedResourceMetadata(ctx.issuer))));
  return document;
}
