import { createRemoteJWKSet, customFetch, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from "jose";
import * as oauth from "oauth4webapi";
import { hashToken, safeEqual } from "../crypto/tokens";
import type { PrismaClient, User } from "../db/generated/client.ts";
import { federatedSignIn } from "../auth/sign-in-method";
import type { SignInMethod } from "../oauth/store";
import { upstreamConnection, type UpstreamConnection } from "./connections";
import { githubProfile } from "./github-profile";
import { connectionSlug } from "./input";
import { requestOptions, upstreamServer, type PresetEndpoints, type UpstreamServer } from "./upstream-discovery";
import { UPSTREAM_TIMEOUT_MS, upstreamFetch, UpstreamError } from "./upstream-fetch";
import { bindingCookieName, codeVerifierFor, nonceFor, spendUpstreamLogin, upstreamRedirectUri } from "./upstream-login";
import { userFromUpstream, type UpstreamProfile } from "./users-from-upstream";

export interface CallbackInput {
  slug: string;
  /** The callback URL as requested (its query is the upstream's authorization response). */
  url: URL;
  /** The request's Cookie header (the binding cookie). */
  cookies: string | null;
  /** This server's issuer (the redirect URI sent upstream). */
  issuer: string;
  now: Date;
}

/** A refusal shown to the person, never redirected anywhere. */
export interface CallbackPage {
  type: "error_page";
  title: string;
  description: string;
}

export type CallbackOutcome =
  | { type: "signed_in"; user: Pick<User, "id" | "email" | "name" | "sessionEpoch">; signIn: SignInMethod; returnPath: string; clearCookie: string }
  /** The upstream said no (the user cancelled, an error) or its answer failed a check: back to a pending authorization as access_denied, else a page. */
  | { type: "upstream_failed"; reason: string; returnPath: string; clearCookie: string }
  | (CallbackPage & { clearCookie?: string });

const page = (title: string, description: string): CallbackPage => ({ type: "error_page", title, description });

const expiredLogin = () =>
  page("This sign-in has expired", "The sign-in was not finished in time, was already used, or was started in another browser. Go back and sign in again.");

const REFUSALS = {
  domain_not_allowed: page("This account cannot sign in here", "Only accounts with an email address in the domains this server's owner allows may sign in with this provider."),
  no_email: page("No email address", "The identity provider did not share a verified email address, which this server needs to create your account."),
  email_exists: page(
    "An account with this email already exists",
    "An account with this email address exists here but is not linked to this provider. Sign in with your email and password instead; this server's owner decides whether accounts are linked.",
  ),
} as const;

/**
 * `GET /signin/connections/{slug}/callback`: the upstream's answer. Spends
 * the pending login (single use in the database), checks the browser holds
 * its binding cookie and that it was started for this connection, then
 * redeems the code (PKCE verifier and nonce recomputed from the state),
 * verifies the ID token (issuer, audience, signature against the upstream's
 * JWKS, nonce, expiry) or reads GitHub's user API, and finds, links or
 * creates the user. Codes, tokens and secrets are never logged nor shown.
 */
export async function finishUpstreamLogin(prisma: PrismaClient, input: CallbackInput, presetEndpoints?: PresetEndpoints): Promise<CallbackOutcome> {
  const state = input.url.searchParams.get("state");
  if (!state) return page("Sign-in could not be completed", "The identity provider's answer is incomplete. Go back and sign in again.");
  const cookieName = bindingCookieName(state);
  const login = await spendUpstreamLogin(prisma, state);
  if (!login) return expiredLogin();
  const binding = cookieValue(input.cookies, cookieName);
  // The browser that started this login must be the one finishing it (login CSRF: an attacker's state in a victim's browser).
  if (!binding || !safeEqual(hashToken(binding), login.bindingHash)) return { ...expiredLogin(), clearCookie: cookieName };
  if (login.expiresAt <= input.now) return { ...expiredLogin(), clearCookie: cookieName };
  const connection = connectionSlug.safeParse(input.slug).success ? await upstreamConnection(prisma, input.slug) : null;
  if (!connection || connection.id !== login.connectionId) {
    return { ...page("This sign-in method is not available", "It was turned off or changed while you were signing in. Go back and sign in again."), clearCookie: cookieName };
  }
  const failed = (reason: string): CallbackOutcome => ({ type: "upstream_failed", reason, returnPath: login.returnPath, clearCookie: cookieName });
  let profile: UpstreamProfile;
  try {
    profile = await upstreamProfile(connection, input, state, presetEndpoints);
  } catch (e) {
    // The upstream's error code goes to the log: only the characters an RFC 6749 error code uses (no line breaks).
    if (e instanceof oauth.AuthorizationResponseError) return failed(`upstream_error:${e.error.replace(/[^\w.-]/g, "").slice(0, 64)}`);
    if (e instanceof UpstreamError) return failed(e.reason);
    if (e instanceof oauth.OperationProcessingError || e instanceof oauth.ResponseBodyError || e instanceof oauth.WWWAuthenticateChallengeError) {
      return failed(`invalid_response:${e.code ?? e.name}`);
    }
    // jose's verification errors; an unreachable upstream (fetch's TypeError, a timeout).
    if (e instanceof joseErrors.JOSEError || (e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError" || e instanceof TypeError))) {
      return failed(`unverified:${e.name}`);
    }
    throw e;
  }
  const found = await userFromUpstream(prisma, connection, profile, input.now);
  if (!found.ok) return { ...REFUSALS[found.reason], clearCookie: cookieName };
  return {
    type: "signed_in",
    user: { id: found.user.id, email: found.user.email, name: found.user.name, sessionEpoch: found.user.sessionEpoch },
    signIn: federatedSignIn(connection.slug),
    returnPath: login.returnPath,
    clearCookie: cookieName,
  };
}

/** The authorization response checked, the code redeemed, and who signed in. */
async function upstreamProfile(connection: UpstreamConnection, input: CallbackInput, state: string, presetEndpoints?: PresetEndpoints): Promise<UpstreamProfile> {
  const server = await upstreamServer(connection, presetEndpoints);
  const client: oauth.Client = { client_id: connection.clientId };
  // RFC 9207: an `iss` present must be the issuer (and is required when discovery says it is sent); an `error` throws AuthorizationResponseError.
  const params = oauth.validateAuthResponse(server.as, client, input.url, state);
  const options = requestOptions(server);
  const response = await oauth.authorizationCodeGrantRequest(
    server.as,
    client,
    clientAuthentication(server, connection.clientSecret),
    params,
    upstreamRedirectUri(input.issuer, connection.slug),
    codeVerifierFor(state),
    options,
  );
  if (server.protocol === "oauth2") {
    const tokens = await oauth.processAuthorizationCodeResponse(server.as, client, response, { requireIdToken: false });
    return githubProfile(server, tokens.access_token);
  }
  const nonce = nonceFor(state);
  // Checks the ID token's claims (iss, aud, exp, iat, nonce, azp) but not its signature: verified next.
  const tokens = await oauth.processAuthorizationCodeResponse(server.as, client, response, { expectedNonce: nonce, requireIdToken: true });
  const claims = await verifiedIdToken(server, connection.clientId, tokens.id_token!, nonce);
  let email = typeof claims.email === "string" ? claims.email : null;
  let emailVerified = claims.email_verified === true;
  let name = typeof claims.name === "string" ? claims.name : null;
  if (!email && server.as.userinfo_endpoint) {
    // Some providers put the email only in UserInfo (OIDC Core §5.4); the subject must match the ID token's.
    const info = await oauth.processUserInfoResponse(server.as, client, claims.sub, await oauth.userInfoRequest(server.as, client, tokens.access_token, options));
    email = typeof info.email === "string" ? info.email : null;
    emailVerified = info.email_verified === true;
    name ??= typeof info.name === "string" ? info.name : null;
  }
  return { subject: claims.sub, email, emailVerified, name };
}

/** client_secret_basic, unless discovery lists only client_secret_post (RFC 8414 §2: basic is the default). */
function clientAuthentication(server: UpstreamServer, secret: string): oauth.ClientAuth {
  const methods = server.as.token_endpoint_auth_methods_supported;
  return methods && !methods.includes("client_secret_basic") && methods.includes("client_secret_post")
    ? oauth.ClientSecretPost(secret)
    : oauth.ClientSecretBasic(secret);
}

const jwksCache = new Map<string, JWTVerifyGetKey>();

function remoteJwks(uri: string): JWTVerifyGetKey {
  let jwks = jwksCache.get(uri);
  if (!jwks) {
    jwks = createRemoteJWKSet(new URL(uri), { timeoutDuration: UPSTREAM_TIMEOUT_MS, [customFetch]: upstreamFetch });
    jwksCache.set(uri, jwks);
  }
  return jwks;
}

/**
 * OIDC Core §3.1.3.7: the ID token's signature against the upstream's JWKS
 * (oauth4webapi leaves a token-endpoint ID token's signature unchecked),
 * with issuer, audience, expiry and nonce checked again here, so this one
 * function is the whole verification. Asymmetric algorithms only.
 */
export async function verifiedIdToken(server: UpstreamServer, clientId: string, idToken: string, nonce: string) {
  if (!server.as.jwks_uri) throw new UpstreamError("no_jwks", "The identity provider publishes no keys");
  const { payload } = await jwtVerify(idToken, remoteJwks(server.as.jwks_uri), {
    issuer: server.as.issuer,
    audience: clientId,
    algorithms: ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"],
    requiredClaims: ["sub", "exp", "iat"],
  });
  if (payload.nonce !== nonce) throw new UpstreamError("nonce_mismatch", "The ID token is not for this sign-in");
  return payload as typeof payload & { sub: string };
}

function cookieValue(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const trimmed = part.trim();
    if (trimmed.startsWith(`${name}=`)) return trimmed.slice(name.length + 1);
  }
  return undefined;
}
