import { countSignIn } from "../activity/sign-in";
import { recordSignIn } from "../audit-log/sign-in-events";
import { authOptions } from "../auth/options";
import { signInCookies } from "../auth/session-cookie";
import { getConfig } from "../config";
import { getPrisma } from "../db";
import { abandonAuthorization } from "../oauth/authorize/flow";
import { pendingRequestIdOf, returnPathAsksLogin } from "../oauth/authorize/interaction";
import { bindingFromCookies, errorPage, outcomeResponse } from "../oauth/authorize/outcome-response";
import { getOAuthContext } from "../oauth-context";
import { safeReturnPath } from "../safe-return-path";
import { finishUpstreamLogin, type CallbackOutcome } from "./upstream-callback";
import { UpstreamError } from "./upstream-fetch";
import { startUpstreamLogin, UPSTREAM_BINDING_PATH } from "./upstream-login";

/**
 * The two routes of a sign-in through a connection, wired to this process's
 * database, configuration and next-auth options: the protocol steps live in
 * upstream-login.ts and upstream-callback.ts.
 */
const NO_STORE = { "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" };

const cookieAttributes = (secure: boolean) => `Path=${UPSTREAM_BINDING_PATH}; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;

/** `GET /signin/connections/{slug}/start?callbackUrl=…` */
export async function upstreamStartResponse(request: Request, slug: string): Promise<Response> {
  const config = getConfig();
  const returnTo = safeReturnPath(new URL(request.url).searchParams.get("callbackUrl"));
  try {
    const reauthenticate = await returnPathAsksLogin(await getOAuthContext(), returnTo);
    const outcome = await startUpstreamLogin(await getPrisma(), { slug, returnTo, issuer: config.issuer, now: new Date(), reauthenticate });
    if (outcome.type === "unavailable") return errorPage("This sign-in method is not available", "It does not exist or was turned off. Go back and choose another way to sign in.");
    const { name, value, maxAge } = outcome.cookie;
    const headers = new Headers({ ...NO_STORE, Location: outcome.location });
    headers.append("Set-Cookie", `${name}=${value}; Max-Age=${maxAge}; ${cookieAttributes(config.secureCookies)}`);
    return new Response(null, { status: 302, headers });
  } catch (e) {
    if (!(e instanceof UpstreamError)) throw e;
    console.warn(`connected-apps: sign-in through connection ${slug} could not start: ${e.reason}`);
    return errorPage("The identity provider is not reachable", "Signing in with it is not possible right now. Go back and try again later, or choose another way to sign in.");
  }
}

/** `GET /signin/connections/{slug}/callback` */
export async function upstreamCallbackResponse(request: Request, slug: string): Promise<Response> {
  const config = getConfig();
  const cookies = request.headers.get("cookie");
  const outcome = await finishUpstreamLogin(await getPrisma(), { slug, url: new URL(request.url), cookies, issuer: config.issuer, now: new Date() });
  const response = await responseFor(outcome, cookies, config.secureCookies);
  if (outcome.clearCookie) response.headers.append("Set-Cookie", `${outcome.clearCookie}=; Max-Age=0; ${cookieAttributes(config.secureCookies)}`);
  return response;
}

async function responseFor(outcome: CallbackOutcome, cookies: string | null, secureCookies: boolean): Promise<Response> {
  switch (outcome.type) {
    case "signed_in": {
      await recordSignIn(await getPrisma(), outcome.user, outcome.signIn, outcome.returnPath);
      const headers = new Headers({ ...NO_STORE, Location: outcome.returnPath });
      for (const cookie of await signInCookies(authOptions(), cookies, outcome.user, outcome.signIn)) headers.append("Set-Cookie", cookie);
      await countSignIn(outcome.returnPath);
      return new Response(null, { status: 302, headers });
    }
    case "upstream_failed": {
      // The reason is a fixed word and the upstream's error code: never a code, token or secret.
      console.warn(`connected-apps: a sign-in through a connection failed: ${outcome.reason}`);
      const requestId = pendingRequestIdOf(outcome.returnPath);
      if (requestId) {
        const abandoned = await abandonAuthorization(await getOAuthContext(), { requestId, bindingSecret: bindingFromCookies(cookies, requestId) });
        return outcomeResponse(abandoned, { secureCookies, afterPost: false });
      }
      const cancelled = outcome.reason === "upstream_error:access_denied";
      return errorPage(
        cancelled ? "Sign-in was cancelled" : "Sign-in did not succeed",
        cancelled ? "You did not sign in with the identity provider. Go back and sign in again." : "The identity provider's answer could not be used. Go back and try again, or choose another way to sign in.",
      );
    }
    case "error_page":
      return errorPage(outcome.title, outcome.description);
  }
}
