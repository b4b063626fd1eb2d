import { hashToken } from "../../crypto/tokens";
import { uuidv7 } from "../../crypto/uuid";
import type { OAuthContext } from "../context";
import { assertDeviceFlowAllowed } from "../device/device-authorization";
import { after, MAX_ACCESS_TOKEN_TTL_S } from "../lifetimes";
import { invalidGrant, invalidRequest, OAuthError } from "../oauth-error";
import type { DeviceAuthorizationRecord } from "../store";
import type { GrantRequest } from "../token-endpoint";
import { newRefreshToken } from "../tokens/refresh-tokens";
import { accessTokenBinding, refreshTokenBinding, tokenResponse, type TokenResponse } from "./issue-tokens";

/**
 * grant_type=urn:ietf:params:oauth:grant-type:device_code (RFC 8628 §3.4,
 * §3.5): one statement polls, and spends an approved device code while
 * starting its token family, so of concurrent polls exactly one gets
 * tokens; the tokens are those of the code grant (issue-tokens.ts).
 */
export async function deviceCodeGrant(ctx: OAuthContext, request: GrantRequest): Promise<TokenResponse> {
  const { client, params, now } = request;
  assertDeviceFlowAllowed(client);
  const deviceCode = params.get("device_code");
  if (!deviceCode) throw invalidRequest("device_code is required");
  // The resources are those the device asked for; narrowing them at this request is not supported, and never silently ignored.
  if (params.all("resource").length) throw new OAuthError("invalid_target", "Name resources in the device authorization request, not here");
  const familyId = uuidv7(now.getTime());
  const refresh = newRefreshToken(now);
  const poll = await ctx.store.pollDeviceCode({
    deviceCodeHash: hashToken(deviceCode),
    appId: client.id,
    familyId,
    refreshToken: refresh,
    familyExpiresAt: after(now, MAX_ACCESS_TOKEN_TTL_S),
    familyDpopJkt: refreshTokenBinding(request),
    now,
  });
  if (poll.kind === "pending") {
    if (poll.tooFast) throw pollError("slow_down", `Poll at most every ${poll.authorization.intervalSeconds} seconds`);
    throw pollError("authorization_pending", "The user has not yet approved this device");
  }
  if (poll.kind === "untouched") throw refusal(poll.authorization, client.id, now);
  const { authorization: a, user } = poll;
  return tokenResponse(ctx, {
    client,
    userId: a.userId!,
    user,
    familyId,
    scopes: a.grantedScopes,
    resources: a.resources,
    authTime: a.authTime!,
    signIn: a.signIn,
    nonce: null,
    refreshToken: poll.refreshTokenStored ? refresh.token : null,
    clientSecret: request.clientSecret,
    now,
    // RFC 9449 §5: a poll with a DPoP proof gets a bound access token (and a public client's refresh tokens are bound to its key).
    dpopJkt: accessTokenBinding(request),
  });
}

/** RFC 8628 §3.5: every answer to a poll is a 400 with its own error code. */
const pollError = (code: "authorization_pending" | "slow_down" | "access_denied" | "expired_token", description: string) =>
  new OAuthError(code, description, { status: 400 });

/** Why a poll that wrote nothing gets no tokens, from the authorization as the poll found it. */
function refusal(a: DeviceAuthorizationRecord | null, appId: string, now: Date): OAuthError {
  // Another client's device code is as good as none.
  if (!a || a.appId !== appId) return invalidGrant("The device code is invalid");
  if (a.redeemedAt) return invalidGrant("The device code has already been used");
  if (a.expiresAt <= now) return pollError("expired_token", "The device code has expired; start again");
  if (a.decision === "denied") return pollError("access_denied", "The user denied the request");
  // Approved, unspent and unexpired as the poll began, yet not spent by it: a concurrent poll won.
  if (a.decision === "approved") return invalidGrant("The device code has already been used");
  // Approved while this poll ran: the next one gets the tokens.
  return pollError("authorization_pending", "The user has not yet approved this device");
}
