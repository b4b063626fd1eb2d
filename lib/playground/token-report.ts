import * as jose from "jose";
import type { OAuthContext } from "../oauth/context";
import type { TokenResponse } from "../oauth/grants/issue-tokens";
import { introspect } from "../oauth/introspect";
import { userInfo } from "../oauth/userinfo";
import { answerOf, clientRequest, type Answer, type PlaygroundClient } from "./token-requests";

type Json = Record<string, unknown>;

/** One check a relying party makes of an ID token (OIDC Core §3.1.3.7). */
export interface IdTokenCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface DecodedJwt {
  header: Json;
  claims: Json;
}

/**
 * The nonce an ID token must carry: after a code exchange the sign-in's
 * (`required`); after a refresh, if it carries one, the sign-in's again
 * (OIDC Core §12.2). `value` null: the sign-in sent none.
 */
export interface ExpectedNonce {
  value: string | null;
  required: boolean;
}

/** What the playground shows after a token response: each token decoded, checked and asked about, as a client and a resource server would. */
export interface TokenReport {
  /** The token response without the tokens themselves (shown decoded below). */
  response: { token_type: string; expires_in: number; scope: string; refresh_token_issued: boolean; id_token_issued: boolean };
  tokens: { access_token: string; id_token: string | null; refresh_token: string | null };
  idToken: (DecodedJwt & { checks: IdTokenCheck[] }) | null;
  /** A JWT access token decoded (RFC 9068), or null when it is opaque. */
  accessTokenJwt: DecodedJwt | null;
  introspection: Answer<Json> | { skipped: string };
  userinfo: Answer<Json> | { skipped: string };
}

function decode(token: string): DecodedJwt | null {
  try {
    return { header: jose.decodeProtectedHeader(token) as Json, claims: jose.decodeJwt(token) as Json };
  } catch {
    return null;
  }
}

/** The ID token's signature (this server's JWKS, or the client secret for HS256), issuer, audience, expiry and nonce. */
async function checkIdToken(ctx: OAuthContext, client: PlaygroundClient, token: string, nonce: ExpectedNonce): Promise<DecodedJwt & { checks: IdTokenCheck[] }> {
  const decoded = decode(token) ?? { header: {}, claims: {} };
  const { header, claims } = decoded;
  const checks: IdTokenCheck[] = [];
  try {
    if (header.alg === "HS256") {
      if (!client.clientSecret) throw new Error("HS256 needs the client secret");
      await jose.compactVerify(token, new TextEncoder().encode(client.clientSecret), { algorithms: ["HS256"] });
    } else {
      await jose.compactVerify(token, jose.createLocalJWKSet(await ctx.keys.jwks()), { algorithms: ["RS256", "ES256"] });
    }
    checks.push({ name: "signature", ok: true, detail: header.alg === "HS256" ? "HS256 with the client secret" : `${String(header.alg)} with key ${String(header.kid)} of this server's JWKS` });
  } catch (error) {
    checks.push({ name: "signature", ok: false, detail: (error as Error).message });
  }
  checks.push({ name: "iss", ok: claims.iss === ctx.issuer, detail: `expected ${ctx.issuer}` });
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  checks.push({ name: "aud", ok: audiences.includes(client.clientId), detail: `expected to include ${client.clientId}` });
  const now = Math.floor(ctx.clock().getTime() / 1000);
  checks.push({ name: "exp", ok: typeof claims.exp === "number" && claims.exp > now, detail: "expected in the future" });
  if (nonce.value !== null && (nonce.required || claims.nonce !== undefined)) {
    checks.push({ name: "nonce", ok: claims.nonce === nonce.value, detail: "expected the nonce this sign-in sent" });
  }
  return { ...decoded, checks };
}

/**
 * Decodes and checks a token response as the app and its APIs would: the ID
 * token verified, the access token decoded when it is a JWT, introspected
 * with the app's credentials (confidential apps; RFC 7662) and used at
 * UserInfo (OIDC Core §5.3).
 */
export async function tokenReport(ctx: OAuthContext, client: PlaygroundClient, tokens: TokenResponse, nonce: ExpectedNonce): Promise<TokenReport> {
  const bearer = `Bearer ${tokens.access_token}`;
  const confidential = client.authMethod !== "none";
  const scopes = tokens.scope.split(" ");
  return {
    response: {
      token_type: tokens.token_type,
      expires_in: tokens.expires_in,
      scope: tokens.scope,
      refresh_token_issued: tokens.refresh_token !== undefined,
      id_token_issued: tokens.id_token !== undefined,
    },
    tokens: { access_token: tokens.access_token, id_token: tokens.id_token ?? null, refresh_token: tokens.refresh_token ?? null },
    idToken: tokens.id_token ? await checkIdToken(ctx, client, tokens.id_token, nonce) : null,
    accessTokenJwt: decode(tokens.access_token),
    introspection: confidential
      ? await answerOf(introspect(ctx, clientRequest(client, { token: tokens.access_token })))
      : { skipped: "A public app cannot introspect: introspection (RFC 7662) needs a confidential app's credentials or an owner API key." },
    userinfo: scopes.includes("openid")
      ? await answerOf(userInfo(ctx, { authorization: bearer, form: null, method: "GET" }))
      : { skipped: "The token does not hold the openid scope, which UserInfo requires." },
  };
}
