import { redirectUriMatches } from "../clients/redirect-uris";
import { userActor } from "../audit";
import { formToken, formTokenValid } from "../crypto/form-token";
import { isUnstorable } from "../text";
import type { AuthSession } from "./authorize/flow";
import { OAuthError } from "./oauth-error";
import { PageError, type PageErrorDetails } from "./page-error";
import { seconds } from "./lifetimes";
import { readParams } from "./params";
import type { OAuthContext } from "./context";
import type { InteractionClient } from "./store";
import { readIdTokenHint, type IdTokenHint } from "./tokens/id-token-hint";

/**
 * OpenID Connect RP-Initiated Logout 1.0: `/oauth2/end_session`.
 * Steps: read the parameters → read the `id_token_hint` → find the app
 * (`client_id`, else the hint's audience) → check `post_logout_redirect_uri`
 * against the app's registered ones → end the session at once when a hint
 * we verified names the signed-in user, otherwise ask the user first (the
 * confirmation page, CSRF-protected). Nothing here ever redirects to a URI
 * the app has not registered.
 */
export const END_SESSION_PATH = "/oauth2/end_session";
/** The confirmation page ("Sign out of …?") and where its form posts. */
export const SIGN_OUT_PAGE_PATH = "/signout";
export const CONFIRM_PATH = "/oauth2/end_session/confirm";
/** "You are signed out", when the app gave no post_logout_redirect_uri. */
export const SIGNED_OUT_PAGE_PATH = "/signout/done";

const MAX_STATE = 1024;

export type EndSessionOutcome =
  | { type: "error_page"; title: string; description: string; details?: PageErrorDetails }
  /** Go there without ending the session (the confirmation page, or a POST repeated as a GET). */
  | { type: "redirect"; location: string }
  /** End the session (clear its cookies), then go there. */
  | { type: "signed_out"; location: string };

type LogoutApp = Pick<InteractionClient, "clientId" | "name">;

interface EndSessionRequest {
  app: LogoutApp | null;
  postLogoutRedirectUri: string | undefined;
  state: string | undefined;
  hintToken: string | undefined;
  hint: IdTokenHint | null;
}

const refused = (description: string) => new PageError("Sign-out request refused", `${description} You are still signed in.`);

async function validate(ctx: OAuthContext, source: URLSearchParams): Promise<EndSessionRequest> {
  let p: ReturnType<typeof readParams>;
  try {
    p = readParams(source);
  } catch (e) {
    throw refused(`The request is malformed: ${e instanceof OAuthError ? e.description : "unreadable parameters"}.`);
  }
  const hintToken = p.get("id_token_hint");
  const hint = hintToken === undefined ? null : await readIdTokenHint(ctx, hintToken);
  if (hintToken !== undefined && !hint) throw refused("The app sent an ID token (id_token_hint) this server did not issue.");
  const clientIdParam = p.get("client_id");
  if (hint && clientIdParam !== undefined && hint.clientId !== clientIdParam) {
    throw refused("The ID token (id_token_hint) was issued to another app than the one asking (client_id).");
  }
  const clientId = clientIdParam ?? hint?.clientId;
  const app = clientId === undefined ? null : await ctx.store.interactionClient(clientId);
  if (clientId !== undefined && (!app || !app.active)) {
    throw new PageError("Unknown app", "The app that sent you here is not registered with this identity provider, or has been disabled. You are still signed in.", undefined, {
      refused: { parameter: "client_id", value: clientId },
    });
  }
  const postLogoutRedirectUri = p.get("post_logout_redirect_uri");
  if (postLogoutRedirectUri !== undefined) {
    if (!app) throw refused("The app asked to send you back after signing out without saying which app it is (client_id or id_token_hint).");
    // Exact match, with the loopback any-port exception of redirect URIs (RFC 8252 §7.3).
    if (!app.postLogoutRedirectUris.some((registered) => redirectUriMatches(registered, postLogoutRedirectUri))) {
      throw new PageError(
        "Unregistered post-logout redirect URI",
        "The app asked to send you to an address it has not registered, so this request was stopped. You are still signed in.",
        undefined,
        {
          app: { name: app.name, clientId: app.clientId },
          refused: { parameter: "post_logout_redirect_uri", value: postLogoutRedirectUri },
          registered: { label: "Registered post-logout redirect URIs", values: app.postLogoutRedirectUris },
        },
      );
    }
  }
  const state = p.get("state");
  if (state !== undefined && state.length > MAX_STATE) throw refused(`state must be at most ${MAX_STATE} characters.`);
  return { app: app && { clientId: app.clientId, name: app.name }, postLogoutRedirectUri, state, hintToken, hint };
}

function errorOutcome(e: unknown): Extract<EndSessionOutcome, { type: "error_page" }> {
  if (e instanceof PageError) return { type: "error_page", title: e.title, description: e.description, ...(e.details && { details: e.details }) };
  throw e;
}

/** The validated request as parameters again (for the confirmation page, or a POST repeated as a GET). */
function requestQuery(req: EndSessionRequest, withHint = false): URLSearchParams {
  const q = new URLSearchParams();
  if (withHint && req.hintToken) q.set("id_token_hint", req.hintToken);
  if (req.app) q.set("client_id", req.app.clientId);
  if (req.postLogoutRedirectUri !== undefined) q.set("post_logout_redirect_uri", req.postLogoutRedirectUri);
  if (req.postLogoutRedirectUri !== undefined && req.state !== undefined) q.set("state", req.state);
  return q;
}

/** RP-Initiated Logout §3: the registered post-logout URI with `state`, else our "signed out" page. */
function afterSignOut(req: EndSessionRequest): string {
  if (req.postLogoutRedirectUri === undefined) {
    return req.app ? `${SIGNED_OUT_PAGE_PATH}?client_id=${encodeURIComponent(req.app.clientId)}` : SIGNED_OUT_PAGE_PATH;
  }
  const url = new URL(req.postLogoutRedirectUri);
  if (req.state !== undefined) url.searchParams.set("state", req.state);
  return url.toString();
}

async function recordSessionEnded(ctx: OAuthContext, session: AuthSession, app: LogoutApp | null, via: "id_token_hint" | "confirmation") {
  const user = await ctx.store.findUser(session.userId);
  await ctx.store.recordAudit({
    actor: userActor({ id: session.userId, email: user?.email ?? session.userId }),
    action: "session.ended",
    targetId: app?.clientId ?? null,
    details: { user_id: session.userId, via, ...(app ? { client_id: app.clientId } : {}) },
  });
}

/**
 * `GET|POST /oauth2/end_session`. Without a session there is nothing to end:
 * a GET goes straight on. A POST is repeated as a GET first: the session
 * cookie is SameSite=Lax, so a relying party's cross-site form POST arrives
 * without it, while the same request as a top-level GET carries it.
 */
export async function endSession(
  ctx: OAuthContext,
  source: URLSearchParams,
  session: AuthSession | null,
  method: "GET" | "POST",
): Promise<EndSessionOutcome> {
  let req: EndSessionRequest;
  try {
    req = await validate(ctx, source);
  } catch (e) {
    return errorOutcome(e);
  }
  if (!session) {
    if (method === "POST") return { type: "redirect", location: `${END_SESSION_PATH}?${requestQuery(req, true)}` };
    return { type: "signed_out", location: afterSignOut(req) };
  }
  // §2: without a hint we verified for this very user, the user is asked (a logout CSRF cannot sign them out).
  if (req.hint?.verified && req.hint.subject === session.userId) {
    await recordSessionEnded(ctx, session, req.app, "id_token_hint");
    return { type: "signed_out", location: afterSignOut(req) };
  }
  return { type: "redirect", location: `${SIGN_OUT_PAGE_PATH}?${requestQuery(req)}` };
}

const CSRF_PURPOSE = "end-session-csrf";

/** The confirmation form's CSRF token is bound to the user, this sign-in (a new sign-in voids it) and the request. */
function csrfBindings(session: AuthSession, req: EndSessionRequest): string[] {
  return [session.userId, String(seconds(session.authTime)), requestQuery(req).toString()];
}

export interface SignOutView {
  issuer: string;
  appName: string | null;
  email: string | null;
  csrfToken: string;
  /** Hidden fields of the confirmation form. */
  fields: [name: string, value: string][];
}

/** What the confirmation page shows, or where to go instead (nobody signed in: nothing to confirm). */
export async function signOutView(
  ctx: OAuthContext,
  source: URLSearchParams,
  session: AuthSession | null,
): Promise<{ type: "view"; view: SignOutView } | Exclude<EndSessionOutcome, { type: "signed_out" }>> {
  let req: EndSessionRequest;
  try {
    req = await validate(ctx, source);
  } catch (e) {
    return errorOutcome(e);
  }
  if (!session) return { type: "redirect", location: `${END_SESSION_PATH}?${requestQuery(req)}` };
  const user = await ctx.store.findUser(session.userId);
  return {
    type: "view",
    view: { issuer: ctx.issuer, appName: req.app?.name ?? null, email: user?.email ?? null, csrfToken: formToken(ctx.keyFor(CSRF_PURPOSE), csrfBindings(session, req)), fields: [...requestQuery(req)] },
  };
}

/** The confirmation form's "Sign out" (`POST /oauth2/end_session/confirm`). */
export async function confirmEndSession(
  ctx: OAuthContext,
  form: URLSearchParams,
  session: AuthSession | null,
): Promise<EndSessionOutcome> {
  const token = form.get("csrf") ?? undefined;
  const source = new URLSearchParams([...form].filter(([name]) => name !== "csrf"));
  let req: EndSessionRequest;
  try {
    req = await validate(ctx, source);
  } catch (e) {
    return errorOutcome(e);
  }
  if (!session) return { type: "signed_out", location: afterSignOut(req) };
  if (!formTokenValid(token, ctx.keyFor(CSRF_PURPOSE), csrfBindings(session, req))) {
    return { type: "error_page", title: "The form has expired", description: "Go back to the app and sign out again. You are still signed in." };
  }
  await recordSessionEnded(ctx, session, req.app, "confirmation");
  return { type: "signed_out", location: afterSignOut(req) };
}

/** The app named on the "signed out" page, if it is known and active. */
export async function signedOutAppName(ctx: OAuthContext, clientId: string | undefined): Promise<string | null> {
  if (!clientId || clientId.length > 4096 || isUnstorable(clientId)) return null;
  const app = await ctx.store.interactionClient(clientId);
  return app?.active ? app.name : null;
}
