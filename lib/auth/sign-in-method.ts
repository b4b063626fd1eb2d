import { PASSWORD_CONNECTION } from "../connections/connections";
import type { SignInMethod } from "../oauth/store";

/** A password sign-in: `amr` "pwd" (RFC 8176 §2), `idp` "email" (the built-in connection's name). */
export const PASSWORD_SIGN_IN: SignInMethod = { amr: ["pwd"], idp: PASSWORD_CONNECTION };

/** A sign-in through a connection: `amr` "fed" (RFC 8176 §2, federated), `idp` the connection's slug. */
export function federatedSignIn(slug: string): SignInMethod {
  return { amr: ["fed"], idp: slug };
}

/**
 * The sign-in method recorded in a session token (`amr`, `idp`), or
 * undefined when it holds none or a malformed one (a session from before
 * methods were recorded, a session exchange): the ID token then omits both.
 */
export function signInMethodOf(token: { amr?: unknown; idp?: unknown }): SignInMethod | undefined {
  const { amr, idp } = token;
  if (!Array.isArray(amr) || !amr.length || !amr.every((v) => typeof v === "string") || typeof idp !== "string") return undefined;
  return { amr: amr as string[], idp };
}
