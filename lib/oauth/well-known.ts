import { getConfig } from "../config";
import { getPrisma } from "../db";
import { getProjectSettings } from "../settings";
import { discoveryDocument } from "./discovery";
import { publishedJwks } from "./keys/signing-keys";
import { protectedResourceMetadata } from "./protected-resource";

// Public, cacheable documents; CORS-open so browser clients can read them.
const PUBLIC_HEADERS = {
  "Cache-Control": "public, max-age=300",
  "Access-Control-Allow-Origin": "*",
};

/** GET handler for both discovery URLs (RFC 8414 §3, OIDC Discovery §4). */
export async function discoveryResponse(): Promise<Response> {
  const settings = await getProjectSettings(await getPrisma());
  return Response.json(discoveryDocument(getConfig().issuer, settings), { headers: PUBLIC_HEADERS });
}

// Read from the database at most every 10 s per process. After a rotation,
// verifiers that meet an unknown kid refetch the JWKS (jose, openid-client do).
const JWKS_TTL_MS = 10_000;
let jwks: { at: number; value: Promise<Awaited<ReturnType<typeof publishedJwks>>> } | undefined;

/** GET handler for the JWKS. */
export async function jwksResponse(): Promise<Response> {
  const now = Date.now();
  if (!jwks || now - jwks.at > JWKS_TTL_MS) {
    const value = getPrisma().then((prisma) => publishedJwks(prisma));
    jwks = { at: now, value };
    value.catch(() => (jwks = undefined));
  }
  return Response.json(await jwks.value, {
    headers: { ...PUBLIC_HEADERS, "Content-Type": "application/jwk-set+json" },
  });
}

/** GET handler for the protected-resource metadata of the project's API (RFC 9728 §3). */
export function protectedResourceResponse(): Response {
  return Response.json(protectedResourceMetadata(getConfig().issuer), { headers: PUBLIC_HEADERS });
}
