import { BINDING_COOKIE_PREFIX } from "./interaction";
import type { AuthorizeOutcome } from "./flow";
import { AUTHORIZATION_REQUEST_TTL_S } from "../lifetimes";
import { errorPage, type ErrorPageViewer } from "../error-page";

export { errorPage } from "../error-page";

/** Turns an authorization outcome into the HTTP response: a redirect (303 after a POST) with the binding cookie, or the error page. */
export function outcomeResponse(outcome: AuthorizeOutcome, options: { secureCookies: boolean; afterPost: boolean; viewer?: ErrorPageViewer }): Response {
  if (outcome.type === "error_page") return errorPage(outcome.title, outcome.description, outcome.details, options.viewer);
  const headers = new Headers({ Location: outcome.location, "Cache-Control": "no-store" });
  const attributes = `Path=/; HttpOnly; SameSite=Lax${options.secureCookies ? "; Secure" : ""}`;
  if (outcome.setBinding) {
    headers.append(
      "Set-Cookie",
      `${BINDING_COOKIE_PREFIX}${outcome.setBinding.id}=${outcome.setBinding.secret}; Max-Age=${AUTHORIZATION_REQUEST_TTL_S}; ${attributes}`,
    );
  }
  if (outcome.clearBinding) headers.append("Set-Cookie", `${BINDING_COOKIE_PREFIX}${outcome.clearBinding}=; Max-Age=0; ${attributes}`);
  return new Response(null, { status: options.afterPost ? 303 : 302, headers });
}

/** The binding secret of a pending request from the request's cookies. */
export function bindingFromCookies(cookieHeader: string | null, requestId: string | undefined): string | undefined {
  if (!cookieHeader || !requestId) return undefined;
  const name = `${BINDING_COOKIE_PREFIX}${requestId}=`;
  for (const part of cookieHeader.split(";")) {
    const trimmed = part.trim();
    if (trimmed.startsWith(name)) return trimmed.slice(name.length);
  }
  return undefined;
}
