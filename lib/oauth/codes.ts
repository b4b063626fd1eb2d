import { hashToken, randomToken } from "../crypto/tokens";
import { uuidv7 } from "../crypto/uuid";
import type { AuthorizationParams } from "./authorize/request";
import type { OAuthContext } from "./context";
import { invalidGrant } from "./oauth-error";
import { after, CODE_TTL_S, MAX_ACCESS_TOKEN_TTL_S } from "./lifetimes";
import { s256, verifyCodeVerifier } from "./pkce";
import type { CodeRecord, NewCode, SignInMethod, UserRecord } from "./store";
import { newRefreshToken } from "./tokens/refresh-tokens";

/** A sign-in whose method is not known (a session exchange, a session from before methods were recorded): no `amr`, no `idp`. */
export const UNKNOWN_SIGN_IN: SignInMethod = { amr: [], idp: null };

/** A new authorization code: 256 random bits, 60 s, single use; `record` (with only its hash) is what is stored. */
export function newAuthorizationCode(
  appId: string,
  userId: string,
  params: AuthorizationParams,
  authTime: Date,
  now: Date,
  signIn: SignInMethod = UNKNOWN_SIGN_IN,
): { code: string; record: NewCode } {
  const code = randomToken(32);
  return {
    code,
    record: {
      codeHash: hashToken(code),
      appId,
      userId,
      redirectUri: params.redirectUri,
      redirectUriSent: params.redirectUriSent,
      scopes: params.scopes,
      resources: params.resources,
      nonce: params.nonce ?? null,
      codeChallenge: params.codeChallenge ?? null,
      dpopJkt: params.dpopJkt ?? null,
      authTime,
      signIn,
      expiresAt: after(now, CODE_TTL_S),
    },
  };
}

/** Issues and stores an authorization code. */
export async function issueAuthorizationCode(
  ctx: OAuthContext,
  appId: string,
  userId: string,
  params: AuthorizationParams,
  authTime: Date,
  now: Date,
  signIn: SignInMethod = UNKNOWN_SIGN_IN,
): Promise<string> {
  const { code, record } = newAuthorizationCode(appId, userId, params, authTime, now, signIn);
  await ctx.store.insertCode(record);
  return code;
}

export interface RedeemedCode {
  code: CodeRecord;
  familyId: string;
  /** The family's refresh token, when the code's scopes hold offline_access. */
  refreshToken: string | null;
  user: UserRecord | null;
}

export interface CodeRedemptionInput {
  code: string;
  clientAppId: string;
  redirectUri: string | undefined;
  codeVerifier: string | undefined;
  /** Thumbprint of the request's DPoP proof key (none: no proof): a code issued for a key (dpop_jkt) needs it. */
  dpopJkt?: string | null;
  /** The key the new family's refresh tokens are bound to (a public client's proof key), if any. */
  familyDpopJkt?: string | null;
  /** A further check of the code before it is spent (a refused request must not spend it). */
  check?: (code: CodeRecord) => void;
}

/**
 * Checks a presented code and redeems it, starting its token family in the
 * same statement. Single use is enforced by a conditional update in the
 * database, so of any number of concurrent redemptions exactly one
 * succeeds; a later use revokes every token the code issued (RFC 6749
 * §4.1.2). A code issued to another client, or presented with the wrong
 * redirect URI or verifier, is refused without being spent.
 */
export async function redeemAuthorizationCode(ctx: OAuthContext, input: CodeRedemptionInput, now: Date): Promise<RedeemedCode> {
  const codeHash = hashToken(input.code);
  if (input.check) {
    // A check that needs the code (resource narrowing) runs before the redemption: one more round trip.
    input.check(await refuse(ctx, await ctx.store.findCode(codeHash), input, now));
  }
  const familyId = uuidv7(now.getTime());
  const refresh = newRefreshToken(now);
  const result = await ctx.store.redeemCode({
    codeHash,
    appId: input.clientAppId,
    redirectUri: input.redirectUri,
    codeChallenge: input.codeVerifier === undefined ? null : s256(input.codeVerifier),
    dpopJkt: input.dpopJkt,
    familyId,
    familyDpopJkt: input.familyDpopJkt,
    refreshToken: refresh,
    familyExpiresAt: after(now, MAX_ACCESS_TOKEN_TTL_S),
    now,
  });
  if (result.won) return { code: result.code, familyId, refreshToken: result.refreshTokenStored ? refresh.token : null, user: result.user };
  await refuse(ctx, result.code, input, now);
  // Every check held when the statement began, yet the code was not spent: a concurrent redemption won.
  const winner = await ctx.store.familyOfCode(codeHash);
  if (winner) await ctx.store.revokeFamily(winner, now);
  throw alreadyUsed();
}

/** Throws the error for a code this request may not redeem (revoking what a spent one issued); returns it if every check holds. */
async function refuse(ctx: OAuthContext, code: CodeRecord | null, input: CodeRedemptionInput, now: Date): Promise<CodeRecord> {
  // A code issued to another client is refused without consuming it.
  if (!code || code.appId !== input.clientAppId) throw invalidGrant("The authorization code is invalid");
  if (code.redeemedAt) {
    if (code.familyId) await ctx.store.revokeFamily(code.familyId, now);
    throw alreadyUsed();
  }
  if (code.expiresAt <= now) throw invalidGrant("The authorization code has expired");
  const redirectMismatch = code.redirectUriSent
    ? input.redirectUri !== code.redirectUri
    : input.redirectUri !== undefined && input.redirectUri !== code.redirectUri;
  if (redirectMismatch) throw invalidGrant("redirect_uri does not match the authorization request");
  verifyCodeVerifier(input.codeVerifier, code.codeChallenge);
  // RFC 9449 §10: the authorization request named the key; any other (or none) leaves the code unspent.
  if (code.dpopJkt !== null && code.dpopJkt !== (input.dpopJkt ?? null)) throw invalidGrant("The authorization code is bound to a DPoP key: send a DPoP proof made with it");
  return code;
}

const alreadyUsed = () => invalidGrant("The authorization code has already been used; tokens issued with it are revoked");
