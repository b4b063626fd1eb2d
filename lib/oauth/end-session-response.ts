import { clearSessionCookies } from "../auth/session-cookie-clear";
import { errorPage, type ErrorPageViewer } from "./error-page";
import type { EndSessionOutcome } from "./end-session";

/**
 * Turns an end-session outcome into the HTTP response: the error page (never
 * a redirect), or a redirect (303 after a POST) that, once signed out,
 * deletes every session cookie the request carried.
 */
export function endSessionResponse(
  outcome: EndSessionOutcome,
  request: { cookieHeader: string | null; secureCookies: boolean; afterPost: boolean; viewer?: ErrorPageViewer },
): Response {
  if (outcome.type === "error_page") return errorPage(outcome.title, outcome.description, outcome.details, request.viewer);
  const headers = new Headers({ Location: outcome.location, "Cache-Control": "no-store" });
  if (outcome.type === "signed_out") {
    for (const cookie of clearSessionCookies(request.cookieHeader, request.secureCookies)) headers.append("Set-Cookie", cookie);
  }
  return new Response(null, { status: request.afterPost ? 303 : 302, headers });
}
