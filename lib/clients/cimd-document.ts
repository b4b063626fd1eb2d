import { CimdError } from "./cimd-errors";
import { isUnstorable } from "../text";
import { redirectUriProblem } from "./redirect-uris";
import { policyFor, selfRegisteredType } from "./policy";

/** What a valid metadata document gives the app stored for it. */
export interface CimdDocument {
  name: string;
  logoUri: string | null;
  clientUri: string | null;
  redirectUris: string[];
  /** none (a public app), or private_key_jwt (a confidential one, with its keys). */
  authMethod: "none" | "private_key_jwt";
  /** private_key_jwt: checked as any app's keys are when the app is written (client-jwks.ts). */
  jwks: unknown;
  jwksUri: string | null;
}

/** A metadata document that was fetched but is not acceptable; the message says what is wrong with it. */
export class CimdDocumentError extends CimdError {
  override name = "CimdDocumentError";
}

const SHARED_SECRET_METHODS = new Set(["client_secret_basic", "client_secret_post", "client_secret_jwt"]);
const MAX_REDIRECT_URIS = 20;
const MAX_NAME = 100;
const MAX_URI = 2000;

function optionalHttpsUri(doc: Record<string, unknown>, field: "logo_uri" | "client_uri"): URL | null {
  const value = doc[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== "string" || value.length > MAX_URI || isUnstorable(value) || !URL.canParse(value)) {
    throw new CimdDocumentError(`${field} in the metadata document is not a valid URL`);
  }
  const url = new URL(value);
  if (url.protocol !== "https:") throw new CimdDocumentError(`${field} in the metadata document must be an https URL`);
  return url;
}

/**
 * Checks a fetched document against draft-ietf-oauth-client-id-metadata-document
 * §4.1 and this server's rules for the type it makes (a third-party public
 * app, or with private_key_jwt a third-party confidential one): one named
 * check per rule, each with its own message. A document is public, so it
 * never carries a shared secret.
 */
export function validateMetadataDocument(clientId: string, body: unknown): CimdDocument {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new CimdDocumentError("The metadata document must be a JSON object");
  }
  const doc = body as Record<string, unknown>;
  if (doc.client_id !== clientId) {
    throw new CimdDocumentError(`The metadata document's client_id must be exactly its own URL (${clientId})`);
  }
  if ("client_secret" in doc || "client_secret_expires_at" in doc) {
    throw new CimdDocumentError("The metadata document must not contain a client_secret (a document is public)");
  }
  const method = doc.token_endpoint_auth_method ?? "none";
  if (method !== "none" && method !== "private_key_jwt") {
    throw new CimdDocumentError(
      typeof method === "string" && SHARED_SECRET_METHODS.has(method)
        ? `token_endpoint_auth_method ${method} uses a shared secret, which a metadata document cannot have; use none or private_key_jwt`
        : "token_endpoint_auth_method in the metadata document must be none or private_key_jwt (or absent)",
    );
  }
  const jwksUri = doc.jwks_uri ?? null;
  if (jwksUri !== null && (typeof jwksUri !== "string" || jwksUri.length > MAX_URI || isUnstorable(jwksUri))) {
    throw new CimdDocumentError("jwks_uri in the metadata document is not a valid URL");
  }
  const name = doc.client_name;
  if (typeof name !== "string" || !name.trim()) throw new CimdDocumentError("The metadata document must have a client_name");
  if (name.trim().length > MAX_NAME || isUnstorable(name)) {
    throw new CimdDocumentError(`client_name in the metadata document must be at most ${MAX_NAME} characters of text`);
  }
  const uris = doc.redirect_uris;
  if (!Array.isArray(uris) || uris.length === 0) throw new CimdDocumentError("The metadata document must list redirect_uris");
  if (uris.length > MAX_REDIRECT_URIS) throw new CimdDocumentError(`The metadata document lists more than ${MAX_REDIRECT_URIS} redirect_uris`);
  // The redirect rule of the type the document makes (policy.ts): public for none, confidential (https only) for private_key_jwt.
  const rule = policyFor(selfRegisteredType("cimd", method)).redirectUris;
  for (const uri of uris) {
    if (typeof uri !== "string" || isUnstorable(uri)) throw new CimdDocumentError("redirect_uris in the metadata document must be strings");
    const problem = redirectUriProblem(uri, rule, { development: false });
    if (problem) throw new CimdDocumentError(`redirect_uri ${uri} in the metadata document ${problem}`);
  }
  const logo = optionalHttpsUri(doc, "logo_uri");
  const clientUri = optionalHttpsUri(doc, "client_uri");
  if (clientUri && clientUri.origin !== new URL(clientId).origin) {
    throw new CimdDocumentError(`client_uri ${clientUri.href} must have the same origin as the client_id (${new URL(clientId).origin})`);
  }
  return {
    name: name.trim(),
    logoUri: logo?.href ?? null,
    clientUri: clientUri?.href ?? null,
    redirectUris: [...new Set(uris as string[])],
    authMethod: method,
    jwks: doc.jwks ?? null,
    jwksUri,
  };
}
