import { cimdRefusal, isCimdError } from "../clients/cimd-errors";
import { looksLikeCimdClientId } from "../clients/cimd-fetch";
import { CLIENT_SECRET_PURPOSE, secretMatches } from "../clients/secrets";
import { isUnstorable } from "../text";
import { credentialKind, policyFor, type TokenEndpointAuthMethod } from "../clients/policy";
import { decodeJwt } from "jose";
import { JWT_BEARER_ASSERTION, verifyClientAssertion } from "./client-assertion";
import type { OAuthContext } from "./context";
import { invalidClient, invalidRequest } from "./oauth-error";
import type { OAuthClient, Requester } from "./store";

export interface ClientCredentials {
  clientId: string;
  secret: string | null;
  method: TokenEndpointAuthMethod;
  /** private_key_jwt: the client assertion (a JWT, not yet verified). */
  assertion?: string;
}

const BASIC_CHALLENGE = 'Basic realm="oauth2"';

/** RFC 6749 §2.3.1: Basic credentials are form-urlencoded before base64 ("+" is a space, "%3A" a colon). */
function formDecode(value: string): string {
  return decodeURIComponent(value.replaceAll("+", " "));
}

/**
 * Reads how the client authenticates: `client_secret_basic` (Authorization
 * header), `client_secret_post` (form), `private_key_jwt` (a client
 * assertion in the form), or `none` (client_id only). Using two methods at
 * once is refused (RFC 6749 §2.3).
 */
export function readClientCredentials(authorization: string | null, form: URLSearchParams): ClientCredentials {
  const formId = form.get("client_id") ?? undefined;
  const formSecret = form.get("client_secret") ?? undefined;
  const basic = authorization !== null && /^basic /i.test(authorization);
  if (form.get("client_assertion_type") || form.get("client_assertion")) {
    if (basic || formSecret !== undefined) throw invalidRequest("Use one client authentication method, not a client assertion and a secret together");
    return assertionCredentials(form, formId);
  }
  if (basic) {
    if (formSecret !== undefined) throw invalidRequest("Use one client authentication method, not Basic and client_secret together");
    let id: string;
    let secret: string;
    try {
      const decoded = Buffer.from(authorization.slice(6).trim(), "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      if (colon < 0) throw new Error("no colon");
      id = formDecode(decoded.slice(0, colon));
      secret = formDecode(decoded.slice(colon + 1));
    } catch {
      throw invalidClient("Malformed Basic credentials", BASIC_CHALLENGE);
    }
    if (!id || isUnstorable(id) || isUnstorable(secret)) throw invalidClient("Malformed Basic credentials", BASIC_CHALLENGE);
    if (formId !== undefined && formId !== id) throw invalidRequest("client_id does not match the Basic credentials");
    return { clientId: id, secret, method: "client_secret_basic" };
  }
  if (!formId) throw invalidClient("Client authentication is required (client_id)");
  if (formSecret !== undefined) return { clientId: formId, secret: formSecret, method: "client_secret_post" };
  return { clientId: formId, secret: null, method: "none" };
}

/**
 * RFC 7521 §4.2, RFC 7523 §2.2: a JWT client assertion. The client is the
 * assertion's `sub` (verified later, with `iss`, against the client's keys);
 * a client_id sent beside it must name the same client.
 */
function assertionCredentials(form: URLSearchParams, formId: string | undefined): ClientCredentials {
  if (form.get("client_assertion_type") !== JWT_BEARER_ASSERTION) throw invalidClient(`client_assertion_type must be ${JWT_BEARER_ASSERTION}`);
  const assertion = form.get("client_assertion");
  if (!assertion) throw invalidClient("client_assertion is required with client_assertion_type");
  let sub: unknown;
  try {
    sub = decodeJwt(assertion).sub;
  } catch {
    throw invalidClient("client_assertion is not a JWT");
  }
  if (typeof sub !== "string" || !sub || isUnstorable(sub)) throw invalidClient("client_assertion must name the client in sub");
  if (formId !== undefined && formId !== sub) throw invalidRequest("client_id does not match the client assertion's sub");
  return { clientId: sub, secret: null, method: "private_key_jwt", assertion };
}

/**
 * Authenticates the client: the app must exist and be active, the method
 * must be one its type allows (policy table) and of the kind it registered
 * (secret, key or none), and a secret or client assertion must verify.
 * Every failure is the same `invalid_client` (401; with a Basic challenge
 * when Basic was used, RFC 6749 §5.2), except that a URL client_id whose
 * metadata document cannot be used says why. Ordinary `ca_` ids cost no
 * extra query; when the client last authenticated is written at most once
 * a minute (last-authentication.ts). `requester`: whose limit a new metadata-document app counts against.
 */
export async function authenticateClient(ctx: OAuthContext, credentials: ClientCredentials, requester?: Requester): Promise<OAuthClient> {
  const challenge = credentials.method === "client_secret_basic" ? BASIC_CHALLENGE : undefined;
  const fail = () => invalidClient("Client authentication failed", challenge);
  if (looksLikeCimdClientId(credentials.clientId)) {
    // A URL client_id: make sure its metadata document's app is stored and fresh; say what was wrong with the document.
    try {
      await ctx.store.refreshMetadataClient(credentials.clientId, requester);
    } catch (e) {
      if (isCimdError(e)) throw invalidClient(`Client ID Metadata Document: ${cimdRefusal(credentials.clientId, e)}`, challenge);
      throw e;
    }
  }
  // One read on the token path: the client with its secret hashes.
  const found = await ctx.store.findClient(credentials.clientId);
  const hashes = found?.active ? found.secretHashes : [];
  // Hash a presented secret before any refusal, so timing does not reveal which clients exist.
  const secretOk = credentials.secret === null || secretMatches(credentials.secret, hashes, ctx.keyFor(CLIENT_SECRET_PURPOSE));
  if (!found || !found.active || !secretOk) throw fail();
  if (!policyFor(found.clientType).tokenEndpointAuthMethods.includes(credentials.method)) throw fail();
  // The client's own registered method decides the credential: a key client never gets in with a secret, nor a secret client with a key.
  if (credentialKind(found.authMethod) !== credentialKind(credentials.method)) throw fail();
  if (credentials.method === "private_key_jwt") await verifyClientAssertion(ctx, found, credentials.assertion!);
  await ctx.lastAuthentication.record(found.id, credentials.method, ctx.clock());
  return found;
}
