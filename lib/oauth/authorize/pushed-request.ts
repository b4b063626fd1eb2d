import { hashToken } from "../../crypto/tokens";
import type { OAuthContext } from "../context";
import { OAuthError } from "../oauth-error";
import { PageError } from "../page-error";
import { readParams } from "../params";
import { REQUEST_URI_PREFIX } from "../par";
import type { InteractionClient, Requester } from "../store";
import { authorizationParamsSchema, findAuthorizingApp, redirectUriFor, type AuthorizationParams } from "./request";

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
 * asks), and must belong to the app `client_id` names. Every failure is the
 * error page, never a redirect: the redirect URI and state are in the
 * pushed request, so a bad request_uri leaves no target the client would
 * recognise (docs/decisions.md).
 */
export async function usePushedRequest(
  ctx: OAuthContext,
  source: URLSearchParams,
  requester?: Requester,
  now = ctx.clock(),
): Promise<{ app: InteractionClient; params: AuthorizationParams }> {
  let requestUri: string | undefined;
  let clientId: string | undefined;
  try {
    const p = readParams(source, { storable: false });
    requestUri = p.get("request_uri");
    clientId = p.get("client_id");
  } catch (e) {
    throw new PageError("Invalid request", e instanceof OAuthError ? e.description : "The request is malformed.");
  }
  const app = await findAuthorizingApp(ctx, clientId, requester);
  if (!requestUri?.startsWith(REQUEST_URI_PREFIX)) {
    throw new PageError("Unsupported request_uri", "This server accepts only request_uri values its pushed authorization request endpoint issued.", "request_uri_not_supported");
  }
  const used = await ctx.store.usePushedRequest(hashToken(requestUri), app.id, now);
  if (!used) throw spent("request_uri unknown, expired, used or another app's");
  const parsed = authorizationParamsSchema.safeParse(used.params);
  if (!parsed.success) throw spent("stored parameters unreadable");
  // The app may have dropped the redirect URI since the request was pushed (at most a minute ago).
  redirectUriFor(app, parsed.data.redirectUri);
  return { app, params: parsed.data };
}
