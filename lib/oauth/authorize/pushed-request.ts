import { redirectUriMatches } from "../../clients/redirect-uris";
import { hashToken } from "../../crypto/tokens";
import type { OAuthContext } from "../context";
import { OAuthError } from "../oauth-error";
import { PageError } from "../page-error";
import { readParams } from "../params";
import { REQUEST_URI_PREFIX } from "../par";
import type { InteractionClient } from "../store";
import { authorizationParamsSchema, RedirectedAuthorizationError, type AuthorizationParams } from "./request";

type AuthorizationRequest = { app: InteractionClient; params: AuthorizationParams };

/** Whether an authorization request names a request_uri (it is then a pushed one, RFC 9126 §4). */
export function isPushedRequest(source: URLSearchParams): boolean {
  return source.getAll("request_uri").some((value) => value !== "");
}

const spent = (detail: string) =>
  new PageError(
    "This sign-in request is no longer valid",
    "The app's sign-in request was already used, has expired, or was made by another app. Go back to the app and try again.",
    detail,
  );

/**
 * `/oauth2/authorize?client_id=…&request_uri=…` (RFC 9126 §4): the pushed
 * parameters only, every other query parameter ignored. The request is
 * spent here, by the database (one conditional update, whichever instance
 * asks), and only by the app `client_id` names. Every failure is the error
 * page, never a redirect: the redirect URI and state are in the pushed
 * request, so a bad request_uri leaves no target the client would
 * recognise (docs/decisions.md).
 */
export async function spendPushedRequest(ctx: OAuthContext, source: URLSearchParams, now = ctx.clock()): Promise<AuthorizationRequest> {
  let requestUri: string | undefined;
  let clientId: string | undefined;
  try {
    const p = readParams(source);
    requestUri = p.get("request_uri");
    clientId = p.get("client_id");
  } catch (e) {
    throw new PageError("Invalid request", e instanceof OAuthError ? e.description : "The request is malformed.");
  }
  if (!clientId) throw new PageError("Missing client_id", "The link that brought you here is incomplete: it does not say which app is asking.");
  if (!requestUri?.startsWith(REQUEST_URI_PREFIX)) {
    throw new PageError("Unsupported request_uri", "This server accepts only request_uri values its pushed authorization request endpoint issued.", "request_uri_not_supported");
  }
  const used = await ctx.store.usePushedRequest(hashToken(requestUri), clientId, now);
  if (!used) throw spent("request_uri unknown, expired, used or another app's");
  const params = authorizationParamsSchema.safeParse(used.params);
  if (!params.success) throw spent("stored parameters unreadable");
  // Within its minute the app may have been disabled, or have dropped the redirect URI.
  const app = await ctx.store.interactionClientById(used.appId);
  if (!app?.active || !app.redirectUris.some((registered) => redirectUriMatches(registered, params.data.redirectUri))) {
    throw new PageError("This app is no longer available", "The app was disabled or changed since it sent this request.");
  }
  // The column is the binding of record (RFC 9449 §10.1); the parameters carry the same key.
  return { app, params: { ...params.data, dpopJkt: used.dpopJkt ?? params.data.dpopJkt } };
}

/**
 * A plain (not pushed) request of an app, or a project, that requires
 * pushed requests (RFC 9126 §5) is refused with invalid_request at its
 * redirect URI, which validation has found registered.
 */
export async function refuseUnlessPushAllowed(ctx: OAuthContext, request: AuthorizationRequest): Promise<AuthorizationRequest> {
  if (request.app.requirePar || (await ctx.store.pushedRequestsRequired())) {
    const error = new OAuthError("invalid_request", "Authorization requests must be pushed first: POST them to the pushed_authorization_request_endpoint and send the request_uri (RFC 9126)");
    throw new RedirectedAuthorizationError(error, { appId: request.app.id, redirectUri: request.params.redirectUri, state: request.params.state });
  }
  return request;
}
