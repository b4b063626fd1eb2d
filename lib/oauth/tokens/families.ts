import { isUuid } from "../../crypto/uuid";

/** An access token's `jti` is `<family id>.<random>`: introspection finds the family without storing each token. */
export function familyOfJti(jti: string): string | null {
  const id = jti.split(".")[0] ?? "";
  return isUuid(id) ? id : null;
}

/**
 * A machine client's access token has no family: its `jti` is
 * `m.<client's internal id>.<random>`, and the client's status (and the
 * revoked-token list) decide whether it is still good.
 */
export function machineJtiPrefix(appId: string): string {
  return `m.${appId}`;
}

/** The machine client (internal id) of a machine token's `jti`, or null for any other jti. */
export function machineClientOfJti(jti: string): string | null {
  const [marker, id = ""] = jti.split(".");
  return marker === "m" && isUuid(id) ? id : null;
}
