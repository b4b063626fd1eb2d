import { createHmac } from "node:crypto";
import { safeEqual } from "./tokens";

/**
 * A form's anti-forgery token: an HMAC, under a key of the form's own
 * purpose (derived from the server secret), of what the form is bound to (a
 * request, a user, a sign-in). Nothing is stored: the server recomputes it
 * when the form comes back, and a token made for one form or one binding is
 * worth nothing for another.
 */
export function formToken(key: Buffer, bindings: readonly string[]): string {
  return createHmac("sha256", key).update(bindings.join("\u0000")).digest("base64url");
}

/** Whether a submitted token is the one `formToken` gives for the same key and bindings (constant time). */
export function formTokenValid(token: string | undefined, key: Buffer, bindings: readonly string[]): boolean {
  return token !== undefined && safeEqual(token, formToken(key, bindings));
}
