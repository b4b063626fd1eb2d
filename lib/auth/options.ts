import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { recordPasswordSignIn } from "../audit-log/sign-in-events";
import { getConfig } from "../config";
import { countSignIn } from "../activity/sign-in";
import { getPrisma } from "../db";
import { safeReturnPath } from "../safe-return-path";
import { loadServerSecret } from "./server-secret";
import { trustedSource } from "../rate-limit";
import { throttledSignInError } from "./signin-messages";
import { signInWithPassword } from "./signin-throttle";
import { SESSION_EPOCH_CLAIM, sessionEpochOf } from "./session-epoch";
import { PASSWORD_SIGN_IN, signInMethodOf } from "./sign-in-method";

const SESSION_MAX_AGE_S = 30 * 24 * 60 * 60;

let cached: AuthOptions | undefined;

/**
 * next-auth configuration: email + password sign-in for people (owners and
 * end users). Sessions are JWTs sealed with the server secret; the user's
 * role is re-read from the database wherever it grants access
 * (lib/auth/session.ts), so a demotion takes effect at once.
 */
export function authOptions(): AuthOptions {
  if (cached) return cached;
  const config = getConfig();
  // next-auth derives its callback URLs from NEXTAUTH_URL.
  process.env.NEXTAUTH_URL ??= config.issuer;
  cached = {
    secret: loadServerSecret(config),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
    useSecureCookies: config.secureCookies,
    pages: { signIn: "/signin", error: "/signin" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: {
          email: { label: "Email", type: "email" },
          password: { label: "Password", type: "password" },
        },
        async authorize(credentials, req) {
          if (!credentials?.email || !credentials.password) return null;
          const headers = new Headers();
          for (const [name, value] of Object.entries(req?.headers ?? {})) if (typeof value === "string") headers.set(name, value);
          const source = trustedSource(headers, config.trustProxy);
          const prisma = await getPrisma();
          const result = await signInWithPassword(prisma, { email: credentials.email, password: credentials.password, source });
          // The sign-in form posts where it goes next: an authorization request names its app in the audit log.
          await recordPasswordSignIn(prisma, credentials.email, result, safeReturnPath(sameSitePath(String(req?.body?.callbackUrl ?? ""), config.issuer)));
          // A thrown error reaches the sign-in form as `error` (next-auth); it says how long to wait.
          if (!result.ok && result.reason === "throttled") throw new Error(throttledSignInError(result.retryAfter));
          if (result.ok) await countSignIn(req?.body?.callbackUrl);
          // The epoch comes from the row the password was checked against: a reset that lands meanwhile ends this session too.
          const { user } = result.ok ? result : { user: null };
          return user ? { id: user.id, email: user.email, name: user.name, signIn: PASSWORD_SIGN_IN, [SESSION_EPOCH_CLAIM]: user.sessionEpoch } : null;
        },
      }),
    ],
    callbacks: {
      // Only ever back to a path on this site (next-auth's own check compares prefixes, and a bad URL threw).
      redirect: ({ url, baseUrl }) => `${baseUrl}${safeReturnPath(sameSitePath(url, baseUrl))}`,
      // Remember when the user actually signed in (OIDC auth_time, max_age,
      // prompt=login): the JWT's own iat moves whenever the session is renewed.
      // And how (the ID token's amr and idp), as the sign-in handed it over with the user,
      // and the user's session epoch then (lib/auth/session-epoch.ts): a password change ends the session.
      jwt: ({ token, user }) =>
        user ? { ...token, authTime: Math.floor(Date.now() / 1000), ...signInClaims(user), [SESSION_EPOCH_CLAIM]: sessionEpochOf(user) } : token,
      // Expose the user id (the JWT's `sub`), sign-in time and method and the session epoch to server code.
      session: ({ session, token }) => ({
        ...session,
        user: { ...session.user, id: token.sub },
        authTime: typeof token.authTime === "number" ? token.authTime : token.iat,
        signIn: signInMethodOf(token as { amr?: unknown; idp?: unknown }),
        [SESSION_EPOCH_CLAIM]: sessionEpochOf(token),
      }),
    },
  };
  return cached;
}

/** A redirect target as a path on this site, or undefined for anything else (another origin, not a URL). */
export function sameSitePath(url: string, baseUrl: string): string | undefined {
  if (url.startsWith("/")) return url;
  try {
    const target = new URL(url);
    return target.origin === new URL(baseUrl).origin ? target.pathname + target.search + target.hash : undefined;
  } catch {
    return undefined;
  }
}

/** The session token's `amr` and `idp`, from the sign-in method the provider put on the user (none: not recorded). */
function signInClaims(user: object): { amr?: string[]; idp?: string } {
  const method = (user as { signIn?: unknown }).signIn;
  const known = signInMethodOf(method && typeof method === "object" ? method : {});
  return known ? { amr: known.amr, idp: known.idp ?? undefined } : {};
}
