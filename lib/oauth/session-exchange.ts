import { z } from "zod";
import { userActor } from "../audit";
import type { SessionUser } from "../auth/session-cookie";
import { FULL_ACCESS } from "../clients/policy";
import { hashToken, randomToken } from "../crypto/tokens";
import { uuidv7 } from "../crypto/uuid";
import { safeReturnPath } from "../safe-return-path";
import { authenticateClient, readClientCredentials } from "./client-auth";
import { invalidGrant, invalidRequest, OAuthError } from "./oauth-error";
import { PageError } from "./page-error";
import { after, seconds } from "./lifetimes";
import { readParams } from "./params";
import { scopeAllowed } from "./scopes";
import { accessTokenStatus, audienceOf, verifyAccessToken, type AccessTokenClaims } from "./tokens/access-token";
import type { OAuthContext } from "./context";
import type { OAuthClient } from "./store";
import type { FormRequest } from "./token-endpoint";

/** docs/design.md "Session exchange": an access token is exchangeable for this long after it was issued (`iat`). */
export const EXCHANGE_MAX_TOKEN_AGE_S = 5 * 60;
/** How long a sign-in link works. */
export const SIGN_IN_LINK_TTL_S = 60;
/** Where a sign-in link points (app/session/redeem/route.ts). */
export const SIGN_IN_LINK_PATH = "/session/redeem";
const LINK_TOKEN = /^[\w-]{43}$/;

/** The form of `POST /api/v1/sessions/exchange` (client credentials are read by client-auth.ts). */
export const sessionExchangeRequestSchema = z.object({
  access_token: z.string().describe("An access token of this app holding `full_access`, at most 5 minutes old, never exchanged before"),
  return_to: z
    .string()
    .optional()
    .describe("Where the browser goes once signed in: a path on this server (default `/account`), e.g. an `/oauth2/authorize?…` URL of another app"),
  client_id: z.string().optional().describe("client_secret_post, or the public app's client_id; omit with Basic"),
  client_secret: z.string().optional().describe("client_secret_post (confidential apps)"),
});

export const sessionExchangeResponseSchema = z.object({
  sign_in_url: z.string().describe(`A one-time link (${SIGN_IN_LINK_PATH}?token=…) that signs the user in when opened in a browser`),
  expires_in: z.number().int().describe("Seconds the link works"),
});
export type SessionExchangeResponse = z.infer<typeof sessionExchangeResponseSchema>;

/** Every error `POST /api/v1/sessions/exchange` answers with (RFC 6749 §5.2 shape). */
export const SESSION_EXCHANGE_ERRORS = ["invalid_request", "invalid_client", "unauthorized_client", "invalid_grant", "server_error"] as const;


/** The policy table and the owner's settings, read again on every exchange: a switch turned off stops exchanges at once. */
function mayExchange(app: Pick<OAuthClient, "clientType" | "fullAccessAllowed" | "allowedScopes" | "active">): boolean {
  return app.active && scopeAllowed(app, FULL_ACCESS);
}

function parseRequest(form: URLSearchParams): { accessToken: string; returnTo: string | undefined } {
  const params = readParams(form);
  const parsed = sessionExchangeRequestSchema.safeParse({ access_token: params.get("access_token"), return_to: params.get("return_to") });
  if (!parsed.success) throw invalidRequest("access_token is required");
  const { access_token, return_to } = parsed.data;
  if (return_to !== undefined && !safeReturnPath(return_to, "")) throw invalidRequest("return_to must be a path on this server");
  return { accessToken: access_token, returnTo: return_to === undefined ? undefined : safeReturnPath(return_to) };
}

/** The access token: ours, live, for this server, issued to this app, with full_access, young enough, not revoked. */
async function checkAccessToken(ctx: OAuthContext, app: OAuthClient, token: string, now: Date): Promise<AccessTokenClaims> {
  const claims = await verifyAccessToken(ctx, token, now);
  if (!claims || !audienceOf(claims).includes(ctx.issuer)) throw invalidGrant("The access token is invalid or expired");
  if (claims.client_id !== app.clientId) throw invalidGrant("The access token was not issued to this app");
  if (!claims.scope.split(" ").includes(FULL_ACCESS)) throw invalidGrant("The access token does not hold the full_access scope");
  if (seconds(now) - claims.iat > EXCHANGE_MAX_TOKEN_AGE_S) {
    throw invalidGrant(`The access token is more than ${EXCHANGE_MAX_TOKEN_AGE_S / 60} minutes old; exchange a fresh one`);
  }
  if ((await accessTokenStatus(ctx, claims)).revoked) throw invalidGrant("The access token has been revoked");
  return claims;
}

/**
 * Session exchange (docs/design.md, first-party only): the backend of a
 * first-party app trades a fresh `full_access` access token of its own for a
 * one-time link that signs the same user into this server in a browser.
 * Steps: parse → authenticate the client → may this app exchange →
 * check the token → record it (its `jti` is unique, so of any number of
 * exchanges of one token, concurrent or not, exactly one succeeds) → link.
 * The link token is 256 random bits; only its hash is stored.
 */
export async function exchangeSession(
  ctx: OAuthContext,
  request: FormRequest,
): Promise<SessionExchangeResponse> {
  const now = ctx.clock();
  const { accessToken, returnTo } = parseRequest(request.form);
  const app = await authenticateClient(ctx, readClientCredentials(request.authorization, request.form), request.requester);
  if (!mayExchange(app)) throw new OAuthError("unauthorized_client", "This app may not exchange tokens for sessions (full_access is not enabled for it)");
  const claims = await checkAccessToken(ctx, app, accessToken, now);
  const user = await ctx.store.findUser(claims.sub);
  if (!user) throw invalidGrant("The access token's user no longer exists");
  const link = randomToken(32);
  const id = uuidv7();
  const created = await ctx.store.createSessionExchange(
    { id, jti: claims.jti, appId: app.id, userId: user.id, linkHash: hashToken(link), linkExpiresAt: after(now, SIGN_IN_LINK_TTL_S) },
    { actor: userActor(user), action: "session.exchanged", targetId: app.clientId, details: { exchange_id: id, user_id: user.id } },
  );
  if (!created) throw invalidGrant("The access token has already been exchanged");
  const url = new URL(SIGN_IN_LINK_PATH, ctx.issuer);
  url.searchParams.set("token", link);
  if (returnTo !== undefined) url.searchParams.set("return_to", returnTo);
  ctx.activity.count(app.id, "token.session_exchange", now);
  return { sign_in_url: url.toString(), expires_in: SIGN_IN_LINK_TTL_S };
}

const LINK_ERRORS = {
  invalid: ["This sign-in link is not valid", "Open the whole link you were given, or sign in with your email and password."],
  expired: ["This sign-in link has expired", `Sign-in links work for ${SIGN_IN_LINK_TTL_S} seconds. Go back to the app and try again, or sign in with your email and password.`],
  used: ["This sign-in link has already been used", "Each sign-in link works once. Go back to the app and try again, or sign in with your email and password."],
} as const;

/** Why a sign-in link was refused, in words for the person who opened it. */
function linkError(reason: keyof typeof LINK_ERRORS): PageError {
  const [title, description] = LINK_ERRORS[reason];
  return new PageError(title, description, reason);
}

/**
 * Redeems a sign-in link: the user to sign in. Single use is a conditional
 * update (`redeemed_at IS NULL`, still unexpired), so of any number of
 * concurrent redemptions exactly one gets a session. The app is checked
 * again: disabling it or its full_access in the link's last seconds stops it.
 */
export async function redeemSignInLink(ctx: OAuthContext, token: string | null | undefined, now = ctx.clock()): Promise<SessionUser> {
  if (!token || !LINK_TOKEN.test(token)) throw linkError("invalid");
  const found = await ctx.store.findSessionExchange(hashToken(token));
  if (!found || !mayExchange(found.app)) throw linkError("invalid");
  if (found.redeemedAt) throw linkError("used");
  if (found.linkExpiresAt <= now) throw linkError("expired");
  const won = await ctx.store.redeemSessionExchange(found.id, now, {
    actor: userActor(found.user),
    action: "session.link_redeemed",
    targetId: found.app.clientId,
    details: { exchange_id: found.id, user_id: found.user.id },
  });
  if (!won) throw linkError("used");
  return found.user;
}
