import { getServerSession } from "next-auth";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getPrisma } from "../db";
import type { User } from "../db/generated/client.ts";
import type { SignInMethod } from "../oauth/store";
import { authOptions } from "./options";
import { renewedSessionToken } from "./session-cookie";
import { sessionCookieName } from "./session-cookie-clear";
import { sessionEpochOf, sessionIsCurrent } from "./session-epoch";
import { signInMethodOf } from "./sign-in-method";

/**
 * The signed-in user, read fresh from the database, or null. A session
 * issued before the user's last password change or reset (its epoch is not
 * the row's: lib/auth/session-epoch.ts) is no session.
 */
export async function getCurrentUser(): Promise<User | null> {
  const session = await getServerSession(authOptions());
  const id = (session?.user as { id?: unknown } | undefined)?.id;
  if (typeof id !== "string") return null;
  const user = await (await getPrisma()).user.findUnique({ where: { id } });
  return user && user.sessionEpoch === sessionEpochOf(session) ? user : null;
}

/**
 * The signed-in user's id, sign-in time and method, as the authorization
 * endpoint needs them. One primary-key read checks that the session was not
 * ended by a password change or reset, nor its user deleted (docs/decisions.md).
 */
export async function getAuthSession(): Promise<{ userId: string; authTime: Date; signIn?: SignInMethod } | null> {
  const session = (await getServerSession(authOptions())) as { user?: { id?: unknown }; authTime?: unknown; signIn?: { amr?: unknown; idp?: unknown } } | null;
  const id = session?.user?.id;
  const authTime = session?.authTime;
  if (typeof id !== "string") return null;
  if (!(await sessionIsCurrent(await getPrisma(), id, sessionEpochOf(session)))) return null;
  const signIn = signInMethodOf(session?.signIn ?? {});
  return { userId: id, authTime: new Date((typeof authTime === "number" ? authTime : 0) * 1000), ...(signIn && { signIn }) };
}

/** Who sees an error page: the owner is also shown what an app registered (lib/oauth/error-page.ts). */
export async function errorPageViewer(session: { userId: string } | null): Promise<{ owner: boolean }> {
  if (!session) return { owner: false };
  const user = await (await getPrisma()).user.findUnique({ where: { id: session.userId }, select: { role: true } });
  return { owner: user?.role === "owner" };
}

/** The signed-in user; otherwise redirects to sign-in and back to `returnTo`. */
export async function requireUser(returnTo: string): Promise<User> {
  const user = await getCurrentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  return user;
}

/** The signed-in owner; end users are sent to their account page with a notice. */
export async function requireOwner(returnTo = "/dashboard"): Promise<User> {
  const user = await requireUser(returnTo);
  if (user.role !== "owner") redirect("/account?notice=owner-only");
  return user;
}

/**
 * Keeps this browser signed in after its user's other sessions were ended
 * (lib/account/account.ts changePassword): its session cookie is re-sealed
 * with the new epoch, in a server action, before the page re-renders.
 */
export async function keepThisSession(sessionEpoch: number): Promise<void> {
  const options = authOptions();
  const jar = await cookies();
  const token = await renewedSessionToken(options, jar.getAll(), sessionEpoch);
  if (!token) return;
  const secure = options.useSecureCookies === true;
  const name = sessionCookieName(secure);
  const attributes = { path: "/", httpOnly: true, sameSite: "lax", secure } as const;
  // A chunked session (`<name>.0`…) is replaced by the whole one, as next-auth's sign-in does.
  for (const cookie of jar.getAll()) if (cookie.name.startsWith(`${name}.`)) jar.set(cookie.name, "", { ...attributes, maxAge: 0 });
  jar.set(name, token, { ...attributes, maxAge: options.session!.maxAge });
}
