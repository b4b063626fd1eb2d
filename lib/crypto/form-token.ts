import { createHmac } from "node:crypto";
import { derivedKey } from "./pepper";
import { safeEqual } from "./tokens";

/**
 * A form's anti-forgery token: an HMAC, under a key of the form's own
 * purpose, of what the form is bound to (a request, a user, a sign-in).
 * Nothing is stored: the server recomputes it when the form comes back, and
 * a token made for one form or one binding is worth nothing for another.
 */
export function formToken(purpose: string, bindings: readonly string[]): string {
  return createHmac("sha256", derivedKey(purpose)).update(bindings.join("\u0000")).digest("base64url");
}

/** Whether a submitted token is the one `formToken` gives for the same purpose and bindings (constant time). */
export function formTokenValid(token: string | undefined, purpose: string, bindings: readonly string[]): boolean {
  return token !== undefined && safeEqual(token, formToken(purpose, bindings));
}
