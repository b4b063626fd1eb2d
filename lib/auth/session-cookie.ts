import type { AuthOptions } from "next-auth";
import { decode, encode, type JWT } from "next-auth/jwt";
import type { SignInMethod } from "../oauth/store";
import { clearSessionCookies, sessionCookieName } from "./session-cookie-clear";
import { SESSION_EPOCH_CLAIM } from "./session-epoch";

/** The user a session is for, as the credentials provider returns it (lib/auth/options.ts). */
export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
}

/** A user as a session cookie is issued for: with their session epoch as read with them (lib/auth/session-epoch.ts); the session ends once it moves on. */
export type SessionHolder = SessionUser & { sessionEpoch: number };

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
export async function sessionCookieFor(options: AuthOptions, user: SessionHolder, signIn?: SignInMethod): Promise<string> {
  const { secret, maxAge } = sealing(options);
  const defaultToken: JWT = { name: user.name, email: user.email, sub: user.id };
  const account = { provider: "credentials", type: "credentials" as const, providerAccountId: user.id };
  const token = options.callbacks?.jwt
    ? await options.callbacks.jwt({ token: defaultToken, user: { ...user, ...(signIn && { signIn }) }, account, trigger: "signIn" })
    : defaultToken;
  const value = await encode({ token, secret, maxAge });
  const secure = options.useSecureCookies === true;
  return `${sessionCookieName(secure)}=${value}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}

/**
 * The `Set-Cookie` values that sign `user` in, replacing any other session
 * of this browser, chunks of a large one (`<name>.0`…) included, as
 * next-auth's own sign-in does.
 */
export async function signInCookies(options: AuthOptions, cookieHeader: string | null, user: SessionHolder, signIn?: SignInMethod): Promise<string[]> {
  const secure = options.useSecureCookies === true;
  const whole = `${sessionCookieName(secure)}=`;
  const clears = clearSessionCookies(cookieHeader, secure).filter((clear) => !clear.startsWith(whole));
  return [...clears, await sessionCookieFor(options, user, signIn)];
}

/**
 * This browser's session token re-sealed with `sessionEpoch`: for the
 * browser that ended the user's other sessions (a password change) and
 * stays signed in. Same claims (sign-in time and method kept), a fresh
 * lifetime, as next-auth's own renewal gives. Null when the cookies hold no
 * readable session. `cookies` are this request's, chunks (`<name>.0`…)
 * joined in order as next-auth joins them.
 */
export async function renewedSessionToken(options: AuthOptions, cookies: { name: string; value: string }[], sessionEpoch: number): Promise<string | null> {
  const { secret, maxAge } = sealing(options);
  const name = sessionCookieName(options.useSecureCookies === true);
  const whole = cookies.find((cookie) => cookie.name === name)?.value;
  const chunks = cookies
    .map((cookie) => ({ index: chunkIndex(cookie.name, name), value: cookie.value }))
    .filter((chunk): chunk is { index: number; value: string } => chunk.index !== null)
    .sort((a, b) => a.index - b.index);
  const sealed = whole ?? (chunks.length ? chunks.map((chunk) => chunk.value).join("") : null);
  if (!sealed) return null;
  const token = await decode({ token: sealed, secret }).catch(() => null);
  if (!token?.sub) return null;
  // encode sets iat, exp and jti afresh.
  return encode({ token: { ...token, [SESSION_EPOCH_CLAIM]: sessionEpoch }, secret, maxAge });
}

/** The index of a chunk cookie `<name>.<n>`, else null. */
function chunkIndex(cookieName: string, name: string): number | null {
  const match = cookieName.startsWith(`${name}.`) ? /^\d+$/.exec(cookieName.slice(name.length + 1)) : null;
  return match ? Number(match[0]) : null;
}

function sealing(options: AuthOptions): { secret: string; maxAge: number } {
  const maxAge = options.session?.maxAge;
  if (!options.secret || !maxAge) throw new Error("next-auth options need a secret and session.maxAge");
  return { secret: options.secret, maxAge };
}
