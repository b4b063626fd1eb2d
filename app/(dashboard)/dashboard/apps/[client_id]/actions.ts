"use server";

import { redirect, RedirectType } from "next/navigation";
import { cancelSecretRotation, completeSecretRotation, deleteApp, startSecretRotation, updateApp } from "@/lib/clients/apps";
import { appErrorResult, failure, type ActionResult } from "@/lib/dashboard/action-result";
import { settingsFromForm } from "@/lib/dashboard/app-form";
import { ownerAction, type OwnerContext } from "@/lib/dashboard/server-actions";
import { revokeAuthorizedApp } from "@/lib/grants/authorized-apps";
import { isUserId } from "@/lib/rbac/users-with-roles";

const returnTo = (clientId: string) => `/dashboard/apps/${encodeURIComponent(String(clientId))}`;
const UNKNOWN_APP = failure("This app no longer exists. It may have been deleted.");

/** An action on one app: its page to come back to, the client_id checked, app errors in the app form's words. */
function appAction<T extends object>(clientId: string, run: (owner: OwnerContext, clientId: string) => Promise<T | ReturnType<typeof failure>>) {
  return ownerAction<T>(returnTo(clientId), async (owner) => (typeof clientId === "string" ? run(owner, clientId) : UNKNOWN_APP), appErrorResult);
}

export async function updateAppAction(clientId: string, form: FormData): Promise<ActionResult> {
  return appAction(clientId, async ({ prisma, config, actor }, id) => {
    if (!(form instanceof FormData)) return UNKNOWN_APP;
    const { input, fields } = settingsFromForm(form);
    if (Object.keys(fields).length) return failure("Some settings need fixing.", fields);
    await updateApp(prisma, actor, id, input, config);
    return {};
  });
}

/** Starts a rotation; the new secret is returned once, to the calling component only. */
export async function startRotationAction(clientId: string): Promise<ActionResult<{ clientSecret: string }>> {
  return appAction(clientId, async ({ prisma, actor }, id) => ({ clientSecret: (await startSecretRotation(prisma, actor, id)).clientSecret }));
}

export async function completeRotationAction(clientId: string): Promise<ActionResult> {
  return appAction(clientId, async ({ prisma, actor }, id) => {
    await completeSecretRotation(prisma, actor, id);
    return {};
  });
}

export async function cancelRotationAction(clientId: string): Promise<ActionResult> {
  return appAction(clientId, async ({ prisma, actor }, id) => {
    await cancelSecretRotation(prisma, actor, id);
    return {};
  });
}

/** Deletes the app and goes to the list, replacing the app's history entry (Back must not reach a deleted app). */
export async function deleteAppAction(clientId: string): Promise<ActionResult> {
  return appAction(clientId, async ({ prisma, actor }, id) => {
    await deleteApp(prisma, actor, id);
    redirect("/dashboard/apps?notice=deleted", RedirectType.replace);
  });
}

/** Ends one user's authorization of this app (grant, tokens, codes), as the management API's DELETE /users/{id}/authorized-apps/{client_id}. */
export async function revokeAppUserAction(clientId: string, userId: string): Promise<ActionResult> {
  return appAction(clientId, async ({ prisma, actor }, id) => {
    if (typeof userId !== "string" || !isUserId(userId)) return failure("There is no such user.");
    if (!(await revokeAuthorizedApp(prisma, actor, userId.toLowerCase(), id))) return failure("This user's authorization was already revoked.");
    return {};
  });
}
