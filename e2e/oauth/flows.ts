// Small HTTP helpers for the adversarial and concurrency OAuth specs: create
// a fresh app through the management API, run the authorization flow over
// HTTP (HttpSession), and call the token, introspection, revocation and
// userinfo endpoints with raw requests, so malformed ones can be sent too.
import { createHash, randomBytes } from "node:crypto";
import { END_USERS } from "../servers.mjs";
import { apiKey, CONFIDENTIAL_REDIRECT_URI, defaultRedirectUri, isConfidential, PUBLIC_REDIRECT_URI, type ClientType } from "./clients";
import { HttpSession, runAuthorization, type ConsentChoice } from "./http-session";

export type { ClientType };
export const CONFIDENTIAL_REDIRECT = CONFIDENTIAL_REDIRECT_URI;
export const PUBLIC_REDIRECT = PUBLIC_REDIRECT_URI;
export const ALICE = END_USERS[0]!;
export const BOB = END_USERS[1]!;

export interface TestApp {
  clientId: string;
  clientSecret: string | null;
  clientType: ClientType;
  redirectUris: string[];
}

/** A response read once: status, headers, raw text and the JSON body when there is one. */
export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- protocol bodies are asserted field by field
  json: any;
}

export async function read(response: Response): Promise<Reply> {
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export const FORM = { "content-type": "application/x-www-form-urlencoded" };

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

export const randomState = () => randomBytes(12).toString("base64url");

export const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;

/** The owner API key the launcher seeded for this Playwright project's server. */
export const ownerApiKey = (): string => apiKey();

/** The provider under test, addressed by the project's baseURL. */
export class Provider {
  readonly origin: string;
  private readonly ownerKey: string | undefined;
  /** `ownerKey`: for a server a spec starts itself; by default the key the launcher seeded for the project's server. */
  constructor(baseURL: string | undefined, ownerKey?: string) {
    if (!baseURL) throw new Error("baseURL is not set");
    this.origin = new URL(baseURL).origin;
    this.ownerKey = ownerKey;
  }

  private apiKey(): string {
    return this.ownerKey ?? ownerApiKey();
  }

  get issuer(): string {
    return this.origin;
  }

  url(path: string): string {
    return new URL(path, this.origin).toString();
  }

  /** A raw request to the provider, never following redirects. */
  async send(path: string, init: RequestInit = {}): Promise<Reply> {
    return read(await fetch(this.url(path), { ...init, redirect: "manual" }));
  }

  /** A form POST (`body` sent as is when it is a string). */
  postForm(path: string, body: URLSearchParams | string | Record<string, string>, headers: Record<string, string> = {}): Promise<Reply> {
    const encoded = typeof body === "string" ? body : new URLSearchParams(body).toString();
    return this.send(path, { method: "POST", headers: { ...FORM, ...headers }, body: encoded });
  }

  /** A fresh app through the management API (owner key). */
  async createApp(clientType: ClientType, settings: Record<string, unknown> = {}): Promise<TestApp> {
    const response = await this.send("/api/v1/connected-apps", {
      method: "POST",
      headers: { authorization: `Bearer ${this.apiKey()}`, "content-type": "application/json" },
      body: JSON.stringify({
        client_type: clientType,
        name: `adversarial ${clientType} ${randomBytes(4).toString("hex")}`,
        redirect_uris: [defaultRedirectUri(clientType)],
        client_uri: "https://rp.example",
        allowed_scopes: ["openid", "profile", "email", "offline_access"],
        ...settings,
      }),
    });
    if (response.status !== 201 || isConfidential(clientType) !== (typeof response.json.client_secret === "string")) throw new Error(`creating a ${clientType} app failed: ${response.status} ${response.text}`);
    return {
      clientId: response.json.client_id,
      clientSecret: response.json.client_secret ?? null,
      clientType,
      redirectUris: response.json.redirect_uris,
    };
  }

  /** An authorization URL; `undefined` values are left out, defaults can be overridden. */
  authorizeUrl(app: TestApp, params: Record<string, string | undefined> = {}): URL {
    const url = new URL("/oauth2/authorize", this.origin);
    const all: Record<string, string | undefined> = {
      response_type: "code",
      client_id: app.clientId,
      redirect_uri: app.redirectUris[0],
      scope: "openid offline_access",
      state: randomState(),
      ...params,
    };
    for (const [name, value] of Object.entries(all)) if (value !== undefined) url.searchParams.set(name, value);
    return url;
  }

  /** An HttpSession signed in as `user` (alice by default). */
  async signedIn(user = ALICE): Promise<HttpSession> {
    const session = new HttpSession(this.origin);
    await session.signIn(user.email, user.password);
    return session;
  }

  /**
   * Runs the authorization flow for `app` as a signed-in user who answers
   * the consent page with `choice`; returns the callback URL.
   */
  async authorize(
    app: TestApp,
    params: Record<string, string | undefined> = {},
    options: { session?: HttpSession; choice?: ConsentChoice } = {},
  ): Promise<URL> {
    const session = options.session ?? (await this.signedIn());
    const result = await runAuthorization(session, this.authorizeUrl(app, params), options.choice ?? "allow");
    if (!result.callback) throw new Error(`authorization stopped at ${result.visited.join(" → ")} (${result.last.status})`);
    return result.callback;
  }

  /** An authorization code with PKCE (unless `pkce: false`), and what the token request needs to redeem it. */
  async obtainCode(
    app: TestApp,
    options: { scope?: string; pkce?: boolean; session?: HttpSession; params?: Record<string, string | undefined> } = {},
  ): Promise<{ code: string; verifier: string | undefined; redirectUri: string }> {
    const pair = options.pkce === false ? undefined : pkcePair();
    const callback = await this.authorize(
      app,
      {
        scope: options.scope ?? "openid offline_access",
        code_challenge: pair?.challenge,
        code_challenge_method: pair ? "S256" : undefined,
        ...options.params,
      },
      { session: options.session },
    );
    const code = callback.searchParams.get("code");
    if (!code) throw new Error(`no code in the callback ${callback}`);
    return { code, verifier: pair?.verifier, redirectUri: app.redirectUris[0]! };
  }

  /** A token request authenticated as `app` (Basic for confidential apps unless `auth` says otherwise). */
  token(app: TestApp, form: Record<string, string | undefined>, auth: "basic" | "post" | "none" = app.clientSecret ? "basic" : "none"): Promise<Reply> {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(form)) if (value !== undefined) body.set(name, value);
    const headers: Record<string, string> = {};
    if (auth === "basic") headers.authorization = basic(app.clientId, app.clientSecret ?? "");
    else body.set("client_id", app.clientId);
    if (auth === "post") body.set("client_secret", app.clientSecret ?? "");
    return this.postForm("/oauth2/token", body, headers);
  }

  redeem(app: TestApp, code: { code: string; verifier: string | undefined; redirectUri: string }, extra: Record<string, string | undefined> = {}) {
    return this.token(app, {
      grant_type: "authorization_code",
      code: code.code,
      redirect_uri: code.redirectUri,
      code_verifier: code.verifier,
      ...extra,
    });
  }

  refresh(app: TestApp, refreshToken: string, extra: Record<string, string | undefined> = {}) {
    return this.token(app, { grant_type: "refresh_token", refresh_token: refreshToken, ...extra });
  }

  /** Tokens for `app`: code flow then redemption; throws unless it succeeds. */
  async tokens(
    app: TestApp,
    options: { scope?: string; session?: HttpSession } = {},
  ): Promise<{ access_token: string; refresh_token?: string; id_token?: string; scope: string }> {
    const reply = await this.redeem(app, await this.obtainCode(app, options));
    if (reply.status !== 200) throw new Error(`token request failed: ${reply.status} ${reply.text}`);
    return reply.json;
  }

  /** Introspection with the owner API key (sees every token). */
  async introspect(token: string): Promise<Record<string, unknown>> {
    const reply = await this.postForm("/oauth2/introspect", { token }, { authorization: `Bearer ${this.apiKey()}` });
    if (reply.status !== 200) throw new Error(`introspection failed: ${reply.status} ${reply.text}`);
    return reply.json;
  }

  async isActive(token: string): Promise<boolean> {
    return (await this.introspect(token)).active === true;
  }

  revoke(app: TestApp, token: string): Promise<Reply> {
    const body: Record<string, string> = { token };
    if (app.clientSecret) return this.postForm("/oauth2/revoke", body, { authorization: basic(app.clientId, app.clientSecret) });
    return this.postForm("/oauth2/revoke", { ...body, client_id: app.clientId });
  }

  userinfo(accessToken: string): Promise<Reply> {
    return this.send("/oauth2/userinfo", { headers: { authorization: `Bearer ${accessToken}` } });
  }
}
