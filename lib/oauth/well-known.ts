import { getConfig } from "../config";
import { getPrisma } from "../db";
import { getProjectSettings } from "../settings";
import { discoveryDocument } from "./discovery";
import { publishedJwks } from "./keys/signing-keys";

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

/** GET handler for the JWKS. */
export async function jwksResponse(): Promise<Response> {
  return Response.json(await publishedJwks(await getPrisma()), {
    headers: { ...PUBLIC_HEADERS, "Content-Type": "application/jwk-set+json" },
  });
}
