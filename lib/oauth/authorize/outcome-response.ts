import { BINDING_COOKIE_PREFIX } from "./interaction";
import type { AuthorizeOutcome } from "./flow";
import { AUTHORIZATION_REQUEST_TTL_S } from "../lifetimes";

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** The page shown for errors that must not be redirected (unknown client, unregistered redirect URI, expired request). */
export function errorPage(title: string, description: string): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;background:#f8fafc;color:#0f172a;margin:0;padding:2rem 1rem}main{max-width:32rem;margin:0 auto;background:#fff;border:1px solid #e2e8f0;border-radius:.75rem;padding:1.5rem}h1{font-size:1.25rem;margin:0 0 .75rem}p{line-height:1.5;color:#334155}</style>
</head><body><main role="alert"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(description)}</p></main></body></html>`;
  return new Response(html, {
    status: 400,
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
  });
}

/** Turns an authorization outcome into the HTTP response: a redirect (303 after a POST) with the binding cookie, or the error page. */
export function outcomeResponse(outcome: AuthorizeOutcome, options: { secureCookies: boolean; afterPost: boolean }): Response {
  if (outcome.type === "error_page") return errorPage(outcome.title, outcome.description);
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
