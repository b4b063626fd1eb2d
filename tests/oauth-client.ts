import { createApiKey } from "@/lib/auth/api-keys";
import { createUser } from "@/lib/auth/users";
import { createApp } from "@/lib/clients/apps";
import type { PrismaClient } from "@/lib/db/generated/client.ts";
import { authorize, type AuthSession } from "@/lib/oauth/authorize/flow";
import { withClock, type OAuthContext } from "@/lib/oauth/context";
import { OAuthError } from "@/lib/oauth/oauth-error";
import type { TokenResponse } from "@/lib/oauth/grants/issue-tokens";
import { introspect } from "@/lib/oauth/introspect";
import { s256 } from "@/lib/oauth/pkce";
import { handleTokenRequest } from "@/lib/oauth/token-endpoint";

/**
 * Client software for integration tests: a connected app that signs a user
 * in through /authorize and talks to the token endpoint, as a real client
 * does, so tests hold whatever the storage underneath looks like.
 */

export { TEST_ISSUER as ISSUER } from "./databases";

/** What the harness needs of a test database: Prisma for set-up, the OAuth context for protocol calls. */
export interface OAuthTestDb {
  prisma: PrismaClient;
  oauth: OAuthContext;
}
export const VERIFIER = "a-Verifier_with~all.chars".padEnd(50, "x");

/** The OAuth error code a request was refused with, or "ok". */
export async function oauthError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof OAuthError) return e.code;
    throw e;
  }
  return "ok";
}

/** `code: description` of the OAuthError a call refuses with ("ok" if it succeeds): what a developer reads. */
export async function oauthRefusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof OAuthError) return `${e.code}: ${e.description}`;
    throw e;
  }
  return "ok";
}

export type TestClient = Awaited<ReturnType<typeof testClient>>;

/**
 * Registers an app (first-party, skipping consent, so /authorize answers with
 * a code straight away) and returns its client: authorize, token requests.
 */
export async function testClient(db: OAuthTestDb, input: Record<string, unknown> = {}) {
  const { prisma, oauth } = db;
  const ISSUER = oauth.issuer;
  const { app, clientSecret } = await createApp(
    prisma,
    { type: "system", id: null, label: "test" },
    {
      client_type: "first_party",
      name: "Test client",
      redirect_uris: ["https://rp.example/cb"],
      skip_consent: true,
      bypass_consent_for_offline_access: true,
      ...input,
    },
    "api",
  );
  const redirectUri = app.redirect_uris[0]!;
  const credentials: { authorization: string | null; form: Record<string, string> } = clientSecret
    ? { authorization: `Basic ${Buffer.from(`${app.client_id}:${clientSecret}`).toString("base64")}`, form: {} }
    : { authorization: null, form: { client_id: app.client_id } };
  /** A token request; `dpop`: its DPoP header. */
  const token = (form: Record<string, string>, now = new Date(), dpop?: string): Promise<TokenResponse> =>
    handleTokenRequest(withClock(oauth, now), { authorization: credentials.authorization, form: new URLSearchParams({ ...credentials.form, ...form }), dpop });

  return {
    clientId: app.client_id,
    redirectUri,
    /** A code from /authorize for a signed-in user (PKCE with VERIFIER; redirect_uri sent unless `sendRedirectUri` is false; `extra` parameters). */
    async authorize(session: AuthSession, scope: string, { sendRedirectUri = true, now = new Date(), extra = {} as Record<string, string> } = {}): Promise<string> {
      const query = new URLSearchParams({ client_id: app.client_id, response_type: "code", scope, code_challenge: s256(VERIFIER), code_challenge_method: "S256", ...extra });
      if (sendRedirectUri) query.set("redirect_uri", redirectUri);
      const outcome = await authorize(oauth, query, session, now);
      const code = outcome.type === "redirect" ? new URL(outcome.location, ISSUER).searchParams.get("code") : null;
      if (!code) throw new Error(`expected a code, got ${JSON.stringify(outcome)}`);
      return code;
    },
    token,
    exchange: (code: string, extra: Record<string, string> = {}, now = new Date(), dpop?: string) =>
      token({ grant_type: "authorization_code", code, redirect_uri: redirectUri, code_verifier: VERIFIER, ...extra }, now, dpop),
    refresh: (refreshToken: string, extra: Record<string, string> = {}, now = new Date(), dpop?: string) =>
      token({ grant_type: "refresh_token", refresh_token: refreshToken, ...extra }, now, dpop),
  };
}

/** A signed-in user. */
export async function signedInUser(prisma: PrismaClient, email = `user-${Math.random()}@example.com`): Promise<AuthSession> {
  const user = await createUser(prisma, { email, password: "correct horse battery" }, "member");
  return { userId: user.id, authTime: new Date(Date.now() - 60_000) };
}

/** Whether a token is active, as a resource server asking with an owner API key learns it (RFC 7662). */
export async function ownerIntrospection({ prisma, oauth }: OAuthTestDb): Promise<(token: string) => Promise<boolean>> {
  const owner = await createUser(prisma, { email: `owner-${Math.random()}@example.com`, password: "correct horse battery" }, "owner");
  const { key } = await createApiKey(prisma, owner.id, "introspection");
  return async (token) => (await introspect(oauth, { authorization: `Bearer ${key}`, form: new URLSearchParams({ token }) })).active === true;
}
