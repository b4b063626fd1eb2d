"use server";

import { changePassword, deleteAccount, updateName } from "@/lib/account/account";
import { keepThisSession } from "@/lib/auth/session";
import { unlinkIdentity } from "@/lib/connections/identities";
import { failure, type ActionResult } from "@/lib/dashboard/action-result";
import { userAction } from "@/lib/dashboard/server-actions";
import { revokeAuthorizedApp } from "@/lib/grants/authorized-apps";

/** The signed-in user revokes one of their authorized apps (a direct POST reaches this too: it checks the session). */
export async function revokeAuthorizedAppAction(clientId: string): Promise<ActionResult> {
  return userAction("/account", async ({ prisma, actor, user }) => {
    if (typeof clientId !== "string") return failure("Unknown app.");
    const revoked = await revokeAuthorizedApp(prisma, actor, user.id, clientId);
    return revoked ? {} : failure("This app no longer has access to your account.");
  });
}

/** The signed-in user unlinks one of their identities at a sign-in connection (refused, readably, if it is their last way to sign in). */
export async function unlinkIdentityAction(identityId: string): Promise<ActionResult> {
  return userAction("/account", async ({ prisma, actor, user }) => {
    if (typeof identityId !== "string") return failure("Unknown linked account.");
    await unlinkIdentity(prisma, actor, user.id, identityId);
    return {};
  });
}

/** The signed-in user changes their name. */
export async function updateNameAction(form: FormData): Promise<ActionResult> {
  return userAction("/account", async ({ prisma, actor, user }) => {
    if (!(form instanceof FormData)) return failure("Invalid input");
    await updateName(prisma, actor, user.id, form.get("name") ?? "");
    return {};
  });
}

/** The signed-in user changes their password (or sets a first one): lib/account/account.ts. Their other sessions end; this one stays. */
export async function changePasswordAction(form: FormData): Promise<ActionResult> {
  return userAction("/account", async ({ prisma, actor, user, source }) => {
    if (!(form instanceof FormData)) return failure("Invalid input");
    const { sessionEpoch } = await changePassword(prisma, actor, user, { current: form.get("current_password"), next: form.get("new_password"), source });
    await keepThisSession(sessionEpoch);
    return {};
  });
}

/** The signed-in user deletes their account, confirmed by typing its email; the form signs out afterwards. */
export async function deleteAccountAction(form: FormData): Promise<ActionResult> {
  return userAction("/account", async ({ prisma, actor, user }) => {
    if (!(form instanceof FormData)) return failure("Invalid input");
    await deleteAccount(prisma, actor, user, form.get("confirm_email"));
    return {};
  });
}
