import { DEVICE_CODE_GRANT, type GrantType } from "../clients/policy";

/**
 * What is counted (docs/reference/activity.md): an end user signed in, a
 * grant approved, tokens issued (one kind per grant, so a refresh is told
 * apart), a request refused with an OAuth error.
 */
export const ACTIVITY_KINDS = [
  "sign_in",
  "consent",
  "token.authorization_code",
  "token.refresh_token",
  "token.client_credentials",
  "token.device_code",
  "token.session_exchange",
  "error",
] as const;

export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

/** How a grant's issued tokens are counted. */
export function tokenKind(grantType: GrantType): ActivityKind {
  return grantType === DEVICE_CODE_GRANT ? "token.device_code" : `token.${grantType}`;
}

/** The series the charts show, each a sum of kinds. */
export const ACTIVITY_SERIES = [
  { id: "sign_in", label: "Sign-ins", kinds: ["sign_in"] },
  { id: "consent", label: "Consents", kinds: ["consent"] },
  {
    id: "token",
    label: "Tokens issued",
    kinds: ["token.authorization_code", "token.refresh_token", "token.client_credentials", "token.device_code", "token.session_exchange"],
  },
  { id: "refresh", label: "Refreshes", kinds: ["token.refresh_token"] },
  { id: "error", label: "Errors", kinds: ["error"] },
] as const satisfies readonly { id: string; label: string; kinds: readonly ActivityKind[] }[];

export type ActivitySeriesId = (typeof ACTIVITY_SERIES)[number]["id"];
