import { isUuid } from "../../crypto/uuid";

/** An access token's `jti` is `<family id>.<random>`: introspection finds the family without storing each token. */
export function familyOfJti(jti: string): string | null {
  const id = jti.split(".")[0] ?? "";
  return isUuid(id) ? id : null;
}
