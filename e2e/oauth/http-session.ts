// A scripted browser for the OAuth flows over plain HTTP: a cookie jar,
// next-auth's credentials sign-in, and the authorize → sign-in → consent →
// redirect chain, so real client libraries can be driven without Chromium.

export class HttpSession {
  constructor(
    readonly baseURL: string,
    private readonly cookies = new Map<string, string>(),
  ) {}

  /** This session's cookies, sent to another origin: one browser reaching another instance of the same site directly. */
  at(baseURL: string): HttpSession {
    return new HttpSession(baseURL, this.cookies);
  }

  async fetch(input: string | URL, init: RequestInit = {}): Promise<Response> {
    const url = new URL(input, this.baseURL);
    const headers = new Headers(init.headers);
    if (url.origin === new URL(this.baseURL).origin && this.cookies.size) {
      headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    }
    const response = await fetch(url, { ...init, headers, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === "";
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  hasCookie(prefix: string): boolean {
    return [...this.cookies.keys()].some((k) => k.startsWith(prefix));
  }

  /** Signs in through next-auth's credentials provider (as the sign-in form does). */
  async signIn(email: string, password: string): Promise<void> {
    const csrf = (await (await this.fetch("/api/auth/csrf")).json()) as { csrfToken: string };
    const response = await this.fetch("/api/auth/callback/credentials", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken: csrf.csrfToken, email, password, callbackUrl: "/account", json: "true" }),
    });
    if (!this.hasCookie("next-auth.session-token") && !this.hasCookie("__Secure-next-auth.session-token")) {
      throw new Error(`sign-in as ${email} failed (${response.status})`);
    }
  }
}

export type ConsentChoice = "allow" | "deny";

export interface AuthorizeResult {
  /** The redirect back to the client (code or error), or null if the flow stopped on an identity-provider page. */
  callback: URL | null;
  /** Every identity-provider path the browser went through, e.g. ["/oauth2/authorize", "/consent"]. */
  visited: string[];
  /** The last identity-provider response (an error page, the sign-in page…). */
  last: Response;
  sawConsent: boolean;
}

/**
 * Follows an authorization request like a browser: redirects within the
 * identity provider, answering the consent page with `choice`, until the
 * browser is sent to another origin (the client's redirect URI) or a page
 * that needs a person (sign-in, an error page).
 */
export async function runAuthorization(
  session: HttpSession,
  authorizationUrl: URL | string,
  choice: ConsentChoice = "allow",
): Promise<AuthorizeResult> {
  const origin = new URL(session.baseURL).origin;
  let url = new URL(authorizationUrl, session.baseURL);
  const visited: string[] = [];
  let sawConsent = false;
  for (let hops = 0; hops < 10; hops++) {
    if (url.origin !== origin) return { callback: url, visited, last: new Response(null), sawConsent };
    visited.push(url.pathname);
    let response = await session.fetch(url);
    if (url.pathname === "/consent" && response.status === 200) {
      sawConsent = true;
      const html = await response.text();
      const field = (name: string) => html.match(new RegExp(`name="${name}" value="([^"]+)"`))?.[1];
      const request = field("request");
      const csrf = field("csrf");
      if (!request || !csrf) return { callback: null, visited, last: new Response(html, { status: response.status }), sawConsent };
      response = await session.fetch("/oauth2/authorize/decision", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ request, csrf, decision: choice }),
      });
      visited.push("/oauth2/authorize/decision");
    }
    const location = response.headers.get("location");
    if (response.status < 300 || response.status >= 400 || !location) return { callback: null, visited, last: response, sawConsent };
    url = new URL(location, url);
  }
  throw new Error("too many redirects");
}
