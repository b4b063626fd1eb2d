import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { getPrisma } from "../db";
import type { User } from "../db/generated/client.ts";
import type { SignInMethod } from "../oauth/store";
import { authOptions } from "./options";
import { signInMethodOf } from "./sign-in-method";

/** The signed-in user, read fresh from the database, or null. */
export async function getCurrentUser(): Promise<User | null> {
  const session = await getServerSession(authOptions());
  const id = (session?.user as { id?: unknown } | undefined)?.id;
  if (typeof id !== "string") return null;
  return (await getPrisma()).user.findUnique({ where: { id } });
}

/** The signed-in user's id, sign-in time and method, as the authorization endpoint needs them (no database read). */
export async function getAuthSession(): Promise<{ userId: string; authTime: Date; signIn?: SignInMethod } | null> {
  const session = (await getServerSession(authOptions())) as { user?: { id?: unknown }; authTime?: unknown; signIn?: { amr?: unknown; idp?: unknown } } | null;
  const id = session?.user?.id;
  const authTime = session?.authTime;
  if (typeof id !== "string") return null;
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
