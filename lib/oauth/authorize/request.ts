import { z } from "zod";
import { cimdRefusal, isCimdError } from "../../clients/cimd-errors";
import { looksLikeCimdClientId } from "../../clients/cimd-fetch";
import { redirectUriMatches } from "../../clients/redirect-uris";
import { policyFor } from "../../clients/policy";
import type { OAuthContext } from "../context";
import { OAuthError } from "../oauth-error";
import { PageError } from "../page-error";
import { isUnstorable } from "../../text";
import { hasUnstorable, readParams } from "../params";
import { checkCodeChallenge } from "../pkce";
import { checkScopesAllowed, parseScope } from "../scopes";
import { allowedResources } from "../resources";
import type { InteractionClient, Requester } from "../store";

/** A validated authorization request: what is stored while the user signs in and consents. */
export const authorizationParamsSchema = z.object({
  clientId: z.string(),
  redirectUri: z.string(),
  /** Whether the request named redirect_uri (the token request must then repeat it). */
  redirectUriSent: z.boolean(),
  scopes: z.array(z.string()),
  state: z.string().optional(),
  nonce: z.string().optional(),
  prompt: z.array(z.enum(["none", "login", "consent"])),
  maxAge: z.number().int().nonnegative().optional(),
  resources: z.array(z.string()),
  codeChallenge: z.string().optional(),
  /** RFC 9449 §10: the thumbprint of the DPoP key the code will be redeemed with. */
  dpopJkt: z.string().optional(),
});
export type AuthorizationParams = z.infer<typeof authorizationParamsSchema>;

/** Where and how errors of a request may be sent once client and redirect URI are known (RFC 6749 §4.1.2.1). */
export interface ErrorTarget {
  redirectUri: string;
  state?: string;
  /** The app the error goes to (its activity counts it). */
  appId?: string;
}

/** An error to send to the client's redirect URI. */
export class RedirectedAuthorizationError extends Error {
  override name = "RedirectedAuthorizationError";
  constructor(readonly error: OAuthError, readonly target: ErrorTarget) {
    super(error.message);
  }
}

const MAX_STATE = 1024;
const MAX_NONCE = 512;
const MAX_RESOURCES = 10;

function parsePrompt(value: string | undefined): AuthorizationParams["prompt"] {
  if (value === undefined) return [];
  const values = [...new Set(value.split(" ").filter(Boolean))];
  for (const v of values) {
    if (v === "select_account") throw new OAuthError("invalid_request", "prompt=select_account is not supported");
    if (v !== "none" && v !== "login" && v !== "consent") throw new OAuthError("invalid_request", `Unknown prompt value ${v}`);
  }
  if (values.includes("none") && values.length > 1) throw new OAuthError("invalid_request", "prompt=none cannot be combined with other values");
  return values as AuthorizationParams["prompt"];
}

/** RFC 9449 §10: `dpop_jkt` is a JWK SHA-256 thumbprint (RFC 7638), base64url. */
function parseDpopJkt(value: string | undefined): string | undefined {
  if (value !== undefined && !/^[A-Za-z0-9_-]{43}$/.test(value)) throw new OAuthError("invalid_request", "dpop_jkt must be a JWK SHA-256 thumbprint (43 base64url characters)");
  return value;
}

function parseMaxAge(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value)) throw new OAuthError("invalid_request", "max_age must be a non-negative integer (seconds)");
  return Number(value);
}

/** RFC 8707 §2: absolute URIs without a fragment. */
export function parseResources(values: string[]): string[] {
  if (values.length > MAX_RESOURCES) throw new OAuthError("invalid_target", `At most ${MAX_RESOURCES} resource values`);
  for (const value of values) {
    try {
      new URL(value);
    } catch {
      throw new OAuthError("invalid_target", `resource ${value} is not an absolute URI`);
    }
    if (value.includes("#")) throw new OAuthError("invalid_target", `resource ${value} must not contain a fragment`);
  }
  return [...new Set(values)];
}

/** Only the issuer (the project's API) and the owner's resource servers may be named (RFC 8707 §2, invalid_target). */
export async function targetResources(ctx: OAuthContext, resources: string[]): Promise<string[]> {
  return resources.length ? allowedResources(resources, ctx.issuer, await ctx.store.resourceServers()) : [];
}

/** A URL client_id: its metadata document's app; what was wrong with the document is shown, never "unknown app". */
async function cimdClient(ctx: OAuthContext, clientId: string, requester: Requester | undefined) {
  try {
    await ctx.store.refreshMetadataClient(clientId, requester);
  } catch (e) {
    if (isCimdError(e)) {
      throw new PageError("The app's metadata document was refused", cimdRefusal(clientId, e), undefined, { refused: { parameter: "client_id", value: clientId } });
    }
    throw e;
  }
  return ctx.store.interactionClient(clientId);
}

const appOf = (app: InteractionClient) => ({ name: app.name, clientId: app.clientId });
const registeredRedirectUris = (app: InteractionClient) => ({ label: "Registered redirect URIs", values: app.redirectUris });

/** Finds the app and the redirect URI; failures here are never redirected (their page names what was refused). */
async function resolveClient(ctx: OAuthContext, clientId: string | undefined, requested: string | undefined, requester: Requester | undefined) {
  if (!clientId) throw new PageError("Missing client_id", "The link that brought you here is incomplete: it does not say which app is asking.");
  if (isUnstorable(clientId) || (requested !== undefined && isUnstorable(requested))) {
    throw new PageError("Invalid request", "The link that brought you here is malformed.");
  }
  const app = looksLikeCimdClientId(clientId) ? await cimdClient(ctx, clientId, requester) : await ctx.store.interactionClient(clientId);
  if (!app || !app.active) {
    throw new PageError("Unknown app", "The app that sent you here is not registered with this identity provider, or has been disabled.", undefined, {
      refused: { parameter: "client_id", value: clientId },
    });
  }
  // A machine client acts only for itself (policy table): it never signs anyone in.
  if (!policyFor(app.clientType).grantTypes.includes("authorization_code")) {
    // Only the client_id the request sent: a machine client's name is the owner's internal business.
    throw new PageError("Not a sign-in app", "This client is a machine client: it calls APIs for itself and cannot ask anyone to sign in.", undefined, {
      refused: { parameter: "client_id", value: clientId },
    });
  }
  if (requested !== undefined) {
    if (!app.redirectUris.some((registered) => redirectUriMatches(registered, requested))) {
      throw new PageError("Unregistered redirect URI", "The app asked to send you to an address it has not registered, so this request was stopped.", undefined, {
        app: appOf(app),
        refused: { parameter: "redirect_uri", value: requested },
        registered: registeredRedirectUris(app),
      });
    }
    return { app, redirectUri: requested };
  }
  if (app.redirectUris.length !== 1) {
    throw new PageError("Missing redirect_uri", "The app has several redirect URIs registered and did not say which one to use.", undefined, {
      app: appOf(app),
      registered: registeredRedirectUris(app),
    });
  }
  return { app, redirectUri: app.redirectUris[0]! };
}

/**
 * Validates an authorization request (query of a GET or form of a POST).
 * Client and redirect-URI problems throw PageError; everything
 * after that throws RedirectedAuthorizationError carrying where to send it.
 * `requester`: whose limit a new metadata-document app counts against.
 */
export async function validateAuthorizationRequest(
  ctx: OAuthContext,
  source: URLSearchParams,
  requester?: Requester,
): Promise<{ app: InteractionClient; params: AuthorizationParams }> {
  let p: ReturnType<typeof readParams>;
  try {
    p = readParams(source, { storable: false });
  } catch (e) {
    // Repeated client_id/redirect_uri leave no trustworthy redirect target.
    throw new PageError("Invalid request", e instanceof OAuthError ? e.description : "The request is malformed.");
  }
  const { app, redirectUri } = await resolveClient(ctx, p.get("client_id"), p.get("redirect_uri"), requester);
  const rawState = p.get("state");
  const target: ErrorTarget = { appId: app.id, redirectUri, state: rawState && rawState.length <= MAX_STATE && !isUnstorable(rawState) ? rawState : undefined };
  try {
    if (hasUnstorable(source)) throw new OAuthError("invalid_request", "Parameters must not contain NUL characters or unpaired surrogates");
    if (rawState !== undefined && rawState.length > MAX_STATE) throw new OAuthError("invalid_request", `state must be at most ${MAX_STATE} characters`);
    if (p.get("request") !== undefined) throw new OAuthError("request_not_supported", "Request objects are not supported");
    if (p.get("request_uri") !== undefined) throw new OAuthError("request_uri_not_supported", "request_uri is not supported");
    const responseType = p.get("response_type");
    if (responseType === undefined) throw new OAuthError("invalid_request", "response_type is required");
    if (responseType !== "code") {
      throw new OAuthError("unsupported_response_type", "Only response_type=code is supported (OAuth 2.1 removed implicit and hybrid flows)");
    }
    const responseMode = p.get("response_mode");
    if (responseMode !== undefined && responseMode !== "query") throw new OAuthError("invalid_request", "Only response_mode=query is supported");
    const nonce = p.get("nonce");
    if (nonce !== undefined && nonce.length > MAX_NONCE) throw new OAuthError("invalid_request", `nonce must be at most ${MAX_NONCE} characters`);
    const scopes = parseScope(p.get("scope"));
    checkScopesAllowed(app, scopes);
    const pkce = checkCodeChallenge(p.get("code_challenge"), p.get("code_challenge_method"), policyFor(app.clientType).pkce === "required");
    const params: AuthorizationParams = {
      clientId: app.clientId,
      redirectUri,
      redirectUriSent: p.get("redirect_uri") !== undefined,
      scopes,
      state: rawState,
      nonce,
      prompt: parsePrompt(p.get("prompt")),
      maxAge: parseMaxAge(p.get("max_age")),
      resources: await targetResources(ctx, parseResources(p.all("resource"))),
      codeChallenge: pkce?.codeChallenge,
      dpopJkt: parseDpopJkt(p.get("dpop_jkt")),
    };
    return { app, params };
  } catch (e) {
    if (e instanceof OAuthError) throw new RedirectedAuthorizationError(e, target);
    throw e;
  }
}
