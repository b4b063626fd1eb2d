import { OAuthError } from "../oauth/oauth-error";

/** RFC 8628 §3.5: a device's polling is told to keep waiting; that is the flow working, not an error. */
const WAITING = new Set(["authorization_pending", "slow_down"]);

/** Whether a refused request counts in the Errors series: every OAuth error but a device's "keep polling", and every failure. */
export function countsAsError(error: unknown): boolean {
  return !(error instanceof OAuthError && WAITING.has(error.code));
}
