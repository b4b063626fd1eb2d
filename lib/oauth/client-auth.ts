import { cimdRefusal, isCimdError } from "../clients/cimd-errors";
import { looksLikeCimdClientId } from "../clients/cimd-fetch";
import { CLIENT_SECRET_PURPOSE, secretMatches } from "../clients/secrets";
import { isUnstorable } from "../text";
import { policyFor, type TokenEndpointAuthMethod } from "../clients/policy";
import type { OAuthContext } from "./context";
import { invalidClient, invalidRequest } from "./oauth-error";
import type { OAuthClient, Requester } from "./store";

export interface ClientCredentials {
  clientId: string;
  secret: string | null;
  method: TokenEndpointAuthMethod;
}

const BASIC_CHALLENGE = 'Basic realm="oauth2"';

/** RFC 6749 §2.3.1: Basic credentials are form-urlencoded before base64 ("+" is a space, "%3A" a colon). */
function formDecode(value: string): string {
  return decodeURIComponent(value.replaceAll("+", " "));
}

/**
 * Reads how the client authenticates: `client_secret_basic` (Authorization
 * header), `client_secret_post` (form), or `none` (client_id only). Using
 * two methods at once is refused (RFC 6749 §2.3).
 */
export function readClientCredentials(authorization: string | null, form: URLSearchParams): ClientCredentials {
  const formId = form.get("client_id") ?? undefined;
  const formSecret = form.get("client_secret") ?? undefined;
  if (authorization !== null && /^basic /i.test(authorization)) {
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
 * Authenticates the client: the app must exist and be active, the method
 * must be one its type allows (policy table), and a secret must verify.
 * Every failure is the same `invalid_client` (401; with a Basic challenge
 * when Basic was used, RFC 6749 §5.2), except that a URL client_id whose
 * metadata document cannot be used says why. Ordinary `ca_` ids cost no
 * extra query. `requester`: whose limit a new metadata-document app counts against.
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
  return found;
}
