import { isLoopbackHttp, redirectUriMatches } from "../../clients/redirect-uris";
import { policyFor, type Ownership } from "../../clients/policy";
import { newAuthorizationCode } from "../codes";
import type { OAuthContext } from "../context";
import { OAuthError } from "../oauth-error";
import { seconds } from "../lifetimes";
import { describeScope } from "../scopes";
import type { InteractionClient, Requester, ScopeChoice, SignInMethod } from "../store";
import { consentRequired } from "./consent";
import { recordConsentGranted } from "./consent-audit";
import { isPushedRequest, refuseUnlessPushAllowed, spendPushedRequest } from "./pushed-request";
import {
  consentCsrfToken,
  consentCsrfValid,
  loadPendingRequest,
  savePendingRequest,
  type PendingRequest,
} from "./interaction";
import { PageError, type PageErrorDetails } from "../page-error";
import { RedirectedAuthorizationError, validateAuthorizationRequest, type AuthorizationParams } from "./request";
import { clientRedirect, errorRedirect } from "./response";

/** The signed-in user as the authorization endpoint sees them. */
export interface AuthSession {
  userId: string;
  authTime: Date;
  /** How they signed in (the ID token's amr and idp); unknown when absent. */
  signIn?: SignInMethod;
}

/** What the route does next: redirect somewhere (maybe setting or clearing the binding cookie), or show an error page. */
export type AuthorizeOutcome =
  | { type: "redirect"; location: string; setBinding?: { id: string; secret: string }; clearBinding?: string }
  | { type: "error_page"; title: string; description: string; details?: PageErrorDetails };

export const RESUME_PATH = "/oauth2/authorize/resume";
export const CONSENT_PATH = "/consent";

const expired = (): AuthorizeOutcome => ({
  type: "error_page",
  title: "This request has expired",
  description: "The sign-in request is no longer valid, or it was started in another browser. Go back to the app and try again.",
});

function toOutcome(error: unknown, issuer: string): AuthorizeOutcome {
  if (error instanceof PageError) return { type: "error_page", title: error.title, description: error.description, ...(error.details && { details: error.details }) };
  if (error instanceof RedirectedAuthorizationError) return { type: "redirect", location: errorRedirect(error.target, issuer, error.error) };
  throw error;
}

/**
 * `/oauth2/authorize` (GET query or POST form): a plain request, or a pushed
 * one by its request_uri (RFC 9126 §4). `requester`: where it came
 * from — whose limit a new metadata-document app counts against, and whose
 * share of pending requests one it leaves takes (pending-limits.ts).
 */
export async function authorize(
  ctx: OAuthContext,
  source: URLSearchParams,
  session: AuthSession | null,
  now = ctx.clock(),
  requester?: Requester,
): Promise<AuthorizeOutcome> {
  try {
    const { app, params } = isPushedRequest(source)
      ? await spendPushedRequest(ctx, source, now)
      : await refuseUnlessPushAllowed(ctx, await validateAuthorizationRequest(ctx, source, requester));
    return await proceed(ctx, app, params, session, { pending: null, requester: requester?.source ?? null }, now);
  } catch (e) {
    if (e instanceof RedirectedAuthorizationError) ctx.activity.count(e.target.appId ?? null, "error", now);
    return toOutcome(e, ctx.issuer);
  }
}

/** `/oauth2/authorize/resume`: back from the sign-in page with a pending request. */
export async function resumeAuthorization(
  ctx: OAuthContext,
  input: { requestId: string | undefined; bindingSecret: string | undefined },
  session: AuthSession | null,
  now = ctx.clock(),
): Promise<AuthorizeOutcome> {
  const pending = await loadPendingRequest(ctx, input.requestId, input.bindingSecret, now);
  if (!pending) return expired();
  try {
    const app = await stillValidApp(ctx, pending);
    return await proceed(ctx, app, pending.params, session, { pending, requester: null }, now);
  } catch (e) {
    return toOutcome(e, ctx.issuer);
  }
}

/** The app of a pending request, if it is still active and still has the redirect URI registered. */
async function stillValidApp(ctx: OAuthContext, pending: PendingRequest): Promise<InteractionClient> {
  const app = await ctx.store.interactionClientById(pending.appId);
  if (!app || !app.active || !app.redirectUris.some((r) => redirectUriMatches(r, pending.params.redirectUri))) {
    throw new PageError("This app is no longer available", "The app was removed or changed while you were signing in.");
  }
  return app;
}

/**
 * Sign-in is needed without a session, for `prompt=login`, or when the
 * session is older than `max_age`, unless the user signed in after this
 * request was made (which is how the round trip through sign-in ends).
 */
function loginNeeded(params: AuthorizationParams, session: AuthSession | null, pending: PendingRequest | null, now: Date): boolean {
  if (!session) return true;
  if (pending && seconds(session.authTime) >= seconds(pending.createdAt)) return false;
  if (params.prompt.includes("login")) return true;
  return params.maxAge !== undefined && seconds(now) - seconds(session.authTime) > params.maxAge;
}

function signInFirst(requestId: string) {
  return { type: "redirect" as const, location: `/signin?callbackUrl=${encodeURIComponent(`${RESUME_PATH}?request=${requestId}`)}` };
}

async function proceed(
  ctx: OAuthContext,
  app: InteractionClient,
  params: AuthorizationParams,
  session: AuthSession | null,
  { pending, requester }: { pending: PendingRequest | null; requester: string | null },
  now: Date,
): Promise<AuthorizeOutcome> {
  const target = { redirectUri: params.redirectUri, state: params.state };
  const fail = (code: "login_required" | "consent_required", description: string): AuthorizeOutcome => {
    ctx.activity.count(app.id, "error", now);
    return { type: "redirect", location: errorRedirect(target, ctx.issuer, new OAuthError(code, description)) };
  };
  const interact = async (path: (id: string) => string): Promise<AuthorizeOutcome> => {
    if (pending) return { type: "redirect", location: path(pending.id) };
    const saved = await savePendingRequest(ctx, app.id, params, requester, now);
    return { type: "redirect", location: path(saved.id), setBinding: { id: saved.id, secret: saved.bindingSecret } };
  };

  // A session whose user was deleted counts as no session.
  if (session && !(await ctx.store.findUser(session.userId))) session = null;
  const needLogin = loginNeeded(params, session, pending, now);
  if (needLogin && params.prompt.includes("none")) return fail("login_required", "The user is not signed in");
  if (needLogin || !session) {
    return interact((id) => signInFirst(id).location);
  }
  const [granted, choice] = await Promise.all([ctx.store.grantedScopes(session.userId, app.id), ctx.store.scopeChoice(session.userId, params.scopes)]);
  // Consent is about what the user can grant; the rest is shown on the page as not grantable.
  const asked = { ...params, scopes: choice.grantable };
  if (consentRequired(app, asked, granted)) {
    if (params.prompt.includes("none")) return fail("consent_required", "The user has not yet authorized this app");
    return interact((id) => `${CONSENT_PATH}?request=${id}`);
  }
  return complete(ctx, app, asked, session, pending, now);
}

/**
 * Issues the code for `params.scopes` (already narrowed to what the user
 * can grant), records the grant, and sends the browser back to the client.
 */
async function complete(
  ctx: OAuthContext,
  app: InteractionClient,
  params: AuthorizationParams,
  session: AuthSession,
  pending: PendingRequest | null,
  now: Date,
): Promise<AuthorizeOutcome> {
  const { code, record } = newAuthorizationCode(app.id, session.userId, params, session.authTime, now, session.signIn);
  const completed = await ctx.store.completeAuthorization({
    pendingRequestId: pending?.id ?? null,
    grant: { userId: session.userId, appId: app.id, scopes: params.scopes },
    code: record,
  });
  if (!completed) return expired();
  return {
    type: "redirect",
    location: clientRedirect(params.redirectUri, ctx.issuer, { code, state: params.state }),
    clearBinding: pending?.id,
  };
}

export interface ConsentView {
  requestId: string;
  csrfToken: string;
  /** "Not you?": the sign-in page, back to this same request afterwards (its binding cookie stays in the browser). */
  switchAccountPath: string;
  app: {
    name: string;
    logoUri: string | null;
    clientUriHost: string | null;
    /** A CIMD app's client_id host: who published the metadata document (shown prominently; name and logo are self-asserted). */
    clientIdHost: string | null;
    ownership: Ownership;
    /** Every redirect URI is on this device (loopback): anyone can register such an app, so the user is warned. */
    localhostOnly: boolean;
    /**
     * A self-registered app's name and logo are its own claim: where the
     * user is sent after deciding (the redirect URI's host, or its scheme
     * for an app on this device) is what identifies it. Null for the
     * owner's apps.
     */
    redirectHost: string | null;
  };
  /** What the app will get (full_access is not listed here: see fullAccess). */
  scopes: { name: string; description: string }[];
  /** Requested scopes the user lacks the permissions for: not granted. */
  ungrantable: { name: string; description: string }[];
  /** The app asks for full_access (first-party only): shown as a warning, never as an ordinary scope. */
  fullAccess: boolean;
}

/** Where a redirect URI sends the user, in words a person can check: its host, or `scheme:` for an app-claimed scheme. */
function destinationOf(redirectUri: string): string {
  const url = new URL(redirectUri);
  return url.host || url.protocol;
}

/** What the consent page shows, or where to send the browser instead. */
export async function consentView(
  ctx: OAuthContext,
  input: { requestId: string | undefined; bindingSecret: string | undefined },
  session: AuthSession | null,
  now = ctx.clock(),
): Promise<{ type: "view"; view: ConsentView } | AuthorizeOutcome> {
  const pending = await loadPendingRequest(ctx, input.requestId, input.bindingSecret, now);
  if (!pending) return expired();
  if (!session || loginNeeded(pending.params, session, pending, now)) return signInFirst(pending.id);
  let app: InteractionClient;
  try {
    app = await stillValidApp(ctx, pending);
  } catch (e) {
    return toOutcome(e, "");
  }
  const choice = await ctx.store.scopeChoice(session.userId, pending.params.scopes);
  return {
    type: "view",
    view: {
      requestId: pending.id,
      csrfToken: consentCsrfToken(ctx, pending.id, session.userId),
      switchAccountPath: signInFirst(pending.id).location,
      ...consentDetails(app, choice, {
        redirectHost: app.selfRegistered ? destinationOf(pending.params.redirectUri) : null,
        localhostOnly: app.redirectUris.every((uri) => URL.canParse(uri) && isLoopbackHttp(new URL(uri))),
      }),
    },
  };
}

/**
 * What a consent screen shows of an app and the scopes it asks for (the
 * consent page, and the device page for the device flow): who made it, what
 * the user can grant, what not. `where`: what the page knows of where the
 * user goes next.
 */
export function consentDetails(
  app: InteractionClient,
  choice: ScopeChoice,
  where: Pick<ConsentView["app"], "redirectHost" | "localhostOnly">,
): Omit<ConsentView, "requestId" | "csrfToken" | "switchAccountPath"> {
  const describe = (name: string) => ({ name, description: choice.descriptions.get(name) ?? describeScope(name) });
  return {
    app: {
      name: app.name,
      logoUri: app.logoUri,
      clientUriHost: app.clientUri ? new URL(app.clientUri).host : null,
      clientIdHost: app.fromMetadataDocument && URL.canParse(app.clientId) ? new URL(app.clientId).host : null,
      ownership: policyFor(app.clientType).ownership,
      ...where,
    },
    scopes: choice.grantable.filter((s) => s !== "full_access").map(describe),
    ungrantable: choice.ungrantable.map(describe),
    fullAccess: choice.grantable.includes("full_access"),
  };
}

/** The consent form's Allow or Deny (CSRF-checked, bound to the browser and the user). */
export async function decideConsent(
  ctx: OAuthContext,
  input: { requestId: string | undefined; bindingSecret: string | undefined; csrfToken: string | undefined; decision: "allow" | "deny" },
  session: AuthSession | null,
  now = ctx.clock(),
): Promise<AuthorizeOutcome> {
  const pending = await loadPendingRequest(ctx, input.requestId, input.bindingSecret, now);
  if (!pending) return expired();
  if (!session || loginNeeded(pending.params, session, pending, now)) return signInFirst(pending.id);
  if (!consentCsrfValid(ctx, input.csrfToken, pending.id, session.userId)) {
    return { type: "error_page", title: "The form has expired", description: "Go back to the app and start again." };
  }
  try {
    const app = await stillValidApp(ctx, pending);
    if (input.decision === "deny") return await deny(ctx, pending, "The user denied the request");
    // Permissions are read again: what the user can grant may have changed while the page was open.
    const { grantable } = await ctx.store.scopeChoice(session.userId, pending.params.scopes);
    const outcome = await complete(ctx, app, { ...pending.params, scopes: grantable }, session, pending, now);
    if (outcome.type === "redirect") ctx.activity.count(app.id, "consent", now);
    if (outcome.type === "redirect") await recordConsentGranted(ctx, session.userId, app, grantable, "consent_page");
    return outcome;
  } catch (e) {
    return toOutcome(e, ctx.issuer);
  }
}

/** Ends a pending request and sends access_denied to the client's redirect URI, registered and checked when the request was made. */
async function deny(ctx: OAuthContext, pending: PendingRequest, description: string): Promise<AuthorizeOutcome> {
  if (!(await ctx.store.finishPendingRequest(pending.id))) return expired();
  ctx.activity.count(pending.appId, "error", ctx.clock());
  const error = new OAuthError("access_denied", description);
  return {
    type: "redirect",
    location: errorRedirect({ redirectUri: pending.params.redirectUri, state: pending.params.state }, ctx.issuer, error),
    clearBinding: pending.id,
  };
}

/**
 * A sign-in through a connection was cancelled or failed at the upstream
 * while this request waited (RFC 6749 §4.1.2.1): the client learns
 * access_denied at its redirect URI, as when the user denies consent. The
 * browser must hold the request's binding cookie; a request that is gone,
 * or whose app or redirect URI no longer qualifies, gets the error page.
 */
export async function abandonAuthorization(
  ctx: OAuthContext,
  input: { requestId: string | undefined; bindingSecret: string | undefined },
  now = ctx.clock(),
): Promise<AuthorizeOutcome> {
  const pending = await loadPendingRequest(ctx, input.requestId, input.bindingSecret, now);
  if (!pending) return expired();
  try {
    await stillValidApp(ctx, pending);
    return await deny(ctx, pending, "The user did not sign in with the identity provider");
  } catch (e) {
    return toOutcome(e, ctx.issuer);
  }
}
