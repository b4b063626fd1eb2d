import { createHash } from "node:crypto";
import { SignJWT } from "jose";
import { policyFor, type IdTokenAlg } from "../../clients/policy";
import type { OAuthContext } from "../context";
import { ID_TOKEN_TTL_S, seconds } from "../lifetimes";
import type { OAuthClient, SignInMethod, UserRecord } from "../store";
import { signJws } from "./jws";
import { userClaims } from "./user-claims";

/** OIDC Core §3.1.3.6: base64url of the left half of the SHA-256 of the access token. */
export function atHash(accessToken: string): string {
  return createHash("sha256").update(accessToken, "ascii").digest().subarray(0, 16).toString("base64url");
}

export interface IdTokenInput {
  client: Pick<OAuthClient, "clientId" | "clientType" | "idTokenSignedResponseAlg">;
  user: UserRecord;
  scopes: string[];
  authTime: Date;
  /** How the user signed in: `amr` (RFC 8176) and `idp` (the connection's slug, "email" for a password), each only when known. */
  signIn?: SignInMethod;
  nonce: string | null;
  accessToken: string;
  /** The client secret the client authenticated with: the HS256 key (OIDC Core §10.1). */
  clientSecret: string | null;
  now: Date;
}

/**
 * The ID token: standard claims, plus the profile/email claims the consented
 * scopes name where the policy table says so (first-party apps). A
 * third-party app gets only `sub` and reads the rest from UserInfo (OIDC
 * Core §5.4 returns them there when an access token is issued): an ID token
 * travels further than an access token (logs, forwarded to other services),
 * so it carries no personal data a third party did not ask UserInfo for.
 * Signed with the app's chosen algorithm where the policy table
 * allows it (HS256 never for public apps; it falls back to RS256).
 */
export async function signIdToken(ctx: OAuthContext, input: IdTokenInput): Promise<string> {
  const alg = idTokenAlg(input.client, input.clientSecret);
  const iat = seconds(input.now);
  const claims = {
    iss: ctx.issuer,
    sub: input.user.id,
    aud: input.client.clientId,
    exp: iat + ID_TOKEN_TTL_S,
    iat,
    ...(policyFor(input.client.clientType).idTokenProfileClaims === "as_consented" ? userClaims(input.user, input.scopes) : {}),
    auth_time: seconds(input.authTime),
    ...(input.signIn?.amr.length ? { amr: input.signIn.amr } : {}),
    ...(input.signIn?.idp ? { idp: input.signIn.idp } : {}),
    at_hash: atHash(input.accessToken),
    azp: input.client.clientId,
    ...(input.nonce ? { nonce: input.nonce } : {}),
  };
  if (alg === "HS256") return new SignJWT(claims).setProtectedHeader({ alg, typ: "JWT" }).sign(new TextEncoder().encode(input.clientSecret!));
  const { kid, key } = await ctx.keys.signing(alg);
  return signJws({ alg, typ: "JWT", kid }, claims, key);
}

function idTokenAlg(client: IdTokenInput["client"], clientSecret: string | null): IdTokenAlg {
  const chosen = client.idTokenSignedResponseAlg as IdTokenAlg;
  if (!policyFor(client.clientType).idTokenAlgs.includes(chosen)) return "RS256";
  if (chosen === "HS256" && !clientSecret) return "RS256";
  return chosen;
}
