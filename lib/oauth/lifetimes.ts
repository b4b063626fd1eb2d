/** How long protocol artefacts live (docs/design.md, "Protocol surface"). Access-token lifetime is per app. */
export const CODE_TTL_S = 60;
export const REFRESH_TOKEN_TTL_S = 90 * 24 * 60 * 60;
/** A pending authorization request waits this long for sign-in and consent. */
export const AUTHORIZATION_REQUEST_TTL_S = 60 * 60;
export const ID_TOKEN_TTL_S = 60 * 60;
/** A device authorization (RFC 8628) waits this long for the user to approve it on /device. */
export const DEVICE_CODE_TTL_S = 10 * 60;
/** The device's first polling interval (RFC 8628 §3.2's default); each slow_down adds 5 s. */
export const DEVICE_POLL_INTERVAL_S = 5;
/** The longest access-token lifetime an app may have (lib/clients/app-input.ts). */
export const MAX_ACCESS_TOKEN_TTL_S = 24 * 60 * 60;
/**
 * A public app's refresh reuse interval (seconds after a rotation in which
 * the spent token may be presented once more): long enough for a client to
 * retry after a lost answer or a server restart, short enough that a stolen
 * copy is soon caught as a replay. Per app, within these bounds.
 */
export const DEFAULT_REFRESH_REUSE_S = 30;
export const MAX_REFRESH_REUSE_S = 60;

export const seconds = (date: Date) => Math.floor(date.getTime() / 1000);
export const after = (now: Date, s: number) => new Date(now.getTime() + s * 1000);
