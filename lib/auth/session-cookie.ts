import type { AuthOptions } from "next-auth";
import { encode, type JWT } from "next-auth/jwt";
import type { SignInMethod } from "../oauth/store";
import { clearSessionCookies, sessionCookieName } from "./session-cookie-clear";

/** The user a session is for, as the credentials provider returns it (lib/auth/options.ts). */
export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
}

/**
 * Signs `user` in without a password, exactly as next-auth's credentials
 * sign-in would (next-auth/core/routes/callback.js): its default token
 * (`name`, `email`, `sub`) through our `jwt` callback with
 * `trigger: "signIn"` (which records `authTime`), encrypted with the same
 * secret and lifetime, as the `Set-Cookie` value next-auth itself sends
 * (HttpOnly, SameSite=Lax, Path=/, `__Secure-` and Secure over https). Only
 * for sign-ins that have already proved who the user is (session exchange,
 * a sign-in connection); `signIn` becomes the session's `amr` and `idp`.
 */
export async function sessionCookieFor(options: AuthOptions, user: SessionUser, signIn?: SignInMethod): Promise<string> {
  const maxAge = options.session?.maxAge;
  if (!options.secret || !maxAge) throw new Error("next-auth options need a secret and session.maxAge");
  const defaultToken: JWT = { name: user.name, email: user.email, sub: user.id };
  const account = { provider: "credentials", type: "credentials" as const, providerAccountId: user.id };
  const token = options.callbacks?.jwt
    ? await options.callbacks.jwt({ token: defaultToken, user: { ...user, ...(signIn && { signIn }) }, account, trigger: "signIn" })
    : defaultToken;
  const value = await encode({ token, secret: options.secret, maxAge });
  const secure = options.useSecureCookies === true;
  return `${sessionCookieName(secure)}=${value}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}

/**
 * The `Set-Cookie` values that sign `user` in, replacing any other session
 * of this browser, chunks of a large one (`<name>.0`…) included, as
 * next-auth's own sign-in does.
 */
export async function signInCookies(options: AuthOptions, cookieHeader: string | null, user: SessionUser, signIn?: SignInMethod): Promise<string[]> {
  const secure = options.useSecureCookies === true;
  const whole = `${sessionCookieName(secure)}=`;
  const clears = clearSessionCookies(cookieHeader, secure).filter((clear) => !clear.startsWith(whole));
  return [...clears, await sessionCookieFor(options, user, signIn)];
}
