import { hashToken, randomToken } from "../../crypto/tokens";
import { uuidv7 } from "../../crypto/uuid";
import { policyFor } from "../../clients/policy";
import { parseResources, targetResources } from "../authorize/request";
import { authenticateClient, readClientCredentials } from "../client-auth";
import type { OAuthContext } from "../context";
import { after, DEVICE_CODE_TTL_S, DEVICE_POLL_INTERVAL_S } from "../lifetimes";
import { OAuthError } from "../oauth-error";
import { readParams } from "../params";
import { checkScopesAllowed, parseScope } from "../scopes";
import type { OAuthClient } from "../store";
import type { FormRequest } from "../token-endpoint";
import { newUserCode, normalizeUserCode, USER_CODE_PURPOSE, userCodeHash } from "./user-code";

/** Where the user approves a device, relative to the issuer. */
export const DEVICE_PATH = "/device";

/** The device authorization response (RFC 8628 §3.2). */
export interface DeviceAuthorizationResponse {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete: string;
  expires_in: number;
  interval: number;
}

/** A user code is drawn again when it is taken; with 2.6·10^10 codes a second draw is already rare. */
const USER_CODE_ATTEMPTS = 5;

/** Whether a client may use the device flow: its type may (policy table) and its owner enabled it; else unauthorized_client. */
export function assertDeviceFlowAllowed(client: OAuthClient): void {
  if (!policyFor(client.clientType).deviceFlow || !client.deviceFlowEnabled) {
    throw new OAuthError("unauthorized_client", "This client may not use the device authorization grant");
  }
}

/**
 * `POST /oauth2/device_authorization` (RFC 8628 §3.1–3.2): the client
 * authenticates as at the token endpoint (a public one by client_id), its
 * scope and resource are checked as at the authorization endpoint, and it
 * gets a device code to poll with and a user code to show. Both codes are
 * stored only as hashes.
 */
export async function handleDeviceAuthorizationRequest(ctx: OAuthContext, request: FormRequest): Promise<DeviceAuthorizationResponse> {
  const now = ctx.clock();
  const params = readParams(request.form);
  const client = await authenticateClient(ctx, readClientCredentials(request.authorization, request.form), request.requester);
  assertDeviceFlowAllowed(client);
  const scopes = parseScope(params.get("scope"));
  checkScopesAllowed(client, scopes);
  const resources = await targetResources(ctx, parseResources(params.all("resource")));
  const deviceCode = randomToken(32);
  const key = ctx.keyFor(USER_CODE_PURPOSE);
  for (let attempt = 0; attempt < USER_CODE_ATTEMPTS; attempt++) {
    const userCode = newUserCode();
    const stored = await ctx.store.insertDeviceAuthorization({
      id: uuidv7(now.getTime()),
      deviceCodeHash: hashToken(deviceCode),
      userCodeHash: userCodeHash(key, normalizeUserCode(userCode)!),
      appId: client.id,
      scopes,
      resources,
      intervalSeconds: DEVICE_POLL_INTERVAL_S,
      createdAt: now,
      expiresAt: after(now, DEVICE_CODE_TTL_S),
    });
    if (!stored) continue;
    const verificationUri = `${ctx.issuer}${DEVICE_PATH}`;
    return {
      device_code: deviceCode,
      user_code: userCode,
      verification_uri: verificationUri,
      verification_uri_complete: `${verificationUri}?user_code=${userCode}`,
      expires_in: DEVICE_CODE_TTL_S,
      interval: DEVICE_POLL_INTERVAL_S,
    };
  }
  throw new OAuthError("temporarily_unavailable", "No free user code could be drawn; try again", { retryAfter: 1 });
}
