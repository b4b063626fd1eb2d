import { formToken, formTokenValid } from "../../crypto/form-token";
import { hashToken, randomToken, safeEqual } from "../../crypto/tokens";
import { isUuid } from "../../crypto/uuid";
import type { ClientType } from "../../clients/policy";
import type { OAuthContext } from "../context";
import { after, AUTHORIZATION_REQUEST_TTL_S } from "../lifetimes";
import { authorizationParamsSchema, type AuthorizationParams } from "./request";

/**
 * A pending authorization request, stored while the user signs in and
 * consents. The browser carries only its id (in URLs) and a binding secret
 * (in an HttpOnly cookie whose hash is stored), so the request cannot be
 * altered in the browser nor finished in another browser.
 */
export const BINDING_COOKIE_PREFIX = "ca_authz_";

export interface PendingRequest {
  id: string;
  appId: string;
  params: AuthorizationParams;
  createdAt: Date;
}

export async function savePendingRequest(
  ctx: OAuthContext,
  appId: string,
  params: AuthorizationParams,
  source: string | null,
  now = ctx.clock(),
): Promise<{ id: string; bindingSecret: string }> {
  const bindingSecret = randomToken(32);
  const id = await ctx.store.savePendingRequest(
    { appId, params, bindingHash: hashToken(bindingSecret), source, expiresAt: after(now, AUTHORIZATION_REQUEST_TTL_S) },
    ctx.pendingLimits,
  );
  return { id, bindingSecret };
}

/** The pending request if it exists, has not expired, and the browser holds its binding secret. */
export async function loadPendingRequest(
  ctx: OAuthContext,
  id: string | undefined,
  bindingSecret: string | undefined,
  now = ctx.clock(),
): Promise<PendingRequest | null> {
  if (!id || !isUuid(id) || !bindingSecret) return null;
  const row = await ctx.store.pendingRequest(id);
  if (!row || row.expiresAt <= now || !safeEqual(row.bindingHash, hashToken(bindingSecret))) return null;
  const params = authorizationParamsSchema.safeParse(row.params);
  return params.success ? { id: row.id, appId: row.appId, params: params.data, createdAt: row.createdAt } : null;
}

/** The consent form's CSRF token: bound to the pending request and the signed-in user. */
export function consentCsrfToken(ctx: OAuthContext, requestId: string, userId: string): string {
  return formToken(ctx.keyFor("consent-csrf"), [requestId, userId]);
}

export function consentCsrfValid(ctx: OAuthContext, token: string | undefined, requestId: string, userId: string): boolean {
  return formTokenValid(token, ctx.keyFor("consent-csrf"), [requestId, userId]);
}

/**
 * The app a sign-in page is on its way to, from its return path (for "Sign in
 * to continue to …"). App names are public, so no binding check is needed.
 */
export async function appNameForReturnPath(ctx: OAuthContext, returnTo: string): Promise<string | null> {
  const requestId = pendingRequestIdOf(returnTo);
  return requestId ? ctx.store.pendingRequestAppName(requestId) : null;
}

/** The pending request a return path resumes (`/oauth2/authorize/resume?request=<id>`), or null for any other path. */
export function pendingRequestIdOf(returnTo: string): string | null {
  const match = /^\/oauth2\/authorize\/resume\?request=([0-9a-f-]{36})$/.exec(returnTo);
  return match && isUuid(match[1]!) ? match[1]! : null;
}

/**
 * Whether the pending request a return path resumes asks for a fresh
 * sign-in (`prompt=login`): a sign-in through a connection then asks its
 * upstream for one too.
 */
export async function returnPathAsksLogin(ctx: OAuthContext, returnTo: string): Promise<boolean> {
  const requestId = pendingRequestIdOf(returnTo);
  const pending = requestId ? await ctx.store.pendingRequest(requestId) : null;
  const params = pending ? authorizationParamsSchema.safeParse(pending.params) : null;
  return params?.success === true && params.data.prompt.includes("login");
}

/** The app a sign-in page is on its way to, with its type (which sign-in connections it may offer); no binding check, as for its name. */
export async function appForReturnPath(ctx: OAuthContext, returnTo: string): Promise<{ id: string; clientType: ClientType } | null> {
  const requestId = pendingRequestIdOf(returnTo);
  const pending = requestId ? await ctx.store.pendingRequest(requestId) : null;
  if (!pending || pending.expiresAt <= ctx.clock()) return null;
  const app = await ctx.store.interactionClientById(pending.appId);
  return app ? { id: app.id, clientType: app.clientType } : null;
}
