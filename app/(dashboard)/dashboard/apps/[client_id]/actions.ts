"use server";

import { refresh } from "next/cache";
import { redirect, RedirectType } from "next/navigation";
import { requireOwner } from "@/lib/auth/session";
import {
  cancelSecretRotation,
  completeSecretRotation,
  deleteApp,
  startSecretRotation,
  updateApp,
} from "@/lib/clients/apps";
import { getPrisma } from "@/lib/db";
import { appErrorResult, failure, ownerActor, type ActionResult } from "@/lib/dashboard/action-result";
import { settingsFromForm } from "@/lib/dashboard/app-form";

// Every action checks the owner first: server actions are reachable by a direct POST.

const returnTo = (clientId: string) => `/dashboard/apps/${encodeURIComponent(clientId)}`;
const UNKNOWN_APP = failure("This app no longer exists. It may have been deleted.");

export async function updateAppAction(clientId: string, form: FormData): Promise<ActionResult> {
  const owner = await requireOwner(returnTo(clientId));
  if (typeof clientId !== "string" || !(form instanceof FormData)) return UNKNOWN_APP;
  const { input, fields } = settingsFromForm(form);
  if (Object.keys(fields).length) return failure("Some settings need fixing.", fields);
  try {
    await updateApp(await getPrisma(), ownerActor(owner), clientId, input);
  } catch (error) {
    return appErrorResult(error);
  }
  refresh();
  return { ok: true };
}

/** Starts a rotation; the new secret is returned once, to the calling component only. */
export async function startRotationAction(clientId: string): Promise<ActionResult<{ clientSecret: string }>> {
  const owner = await requireOwner(returnTo(clientId));
  if (typeof clientId !== "string") return UNKNOWN_APP;
  try {
    const { clientSecret } = await startSecretRotation(await getPrisma(), ownerActor(owner), clientId);
    refresh();
    return { ok: true, clientSecret };
  } catch (error) {
    return appErrorResult(error);
  }
}

export async function completeRotationAction(clientId: string): Promise<ActionResult> {
  const owner = await requireOwner(returnTo(clientId));
  if (typeof clientId !== "string") return UNKNOWN_APP;
  try {
    await completeSecretRotation(await getPrisma(), ownerActor(owner), clientId);
  } catch (error) {
    return appErrorResult(error);
  }
  refresh();
  return { ok: true };
}

export async function cancelRotationAction(clientId: string): Promise<ActionResult> {
  const owner = await requireOwner(returnTo(clientId));
  if (typeof clientId !== "string") return UNKNOWN_APP;
  try {
    await cancelSecretRotation(await getPrisma(), ownerActor(owner), clientId);
  } catch (error) {
    return appErrorResult(error);
  }
  refresh();
  return { ok: true };
}

/** Deletes the app and goes to the list, replacing the app's history entry (Back must not reach a deleted app). */
export async function deleteAppAction(clientId: string): Promise<ActionResult> {
  const owner = await requireOwner(returnTo(clientId));
  if (typeof clientId !== "string") return UNKNOWN_APP;
  try {
    await deleteApp(await getPrisma(), ownerActor(owner), clientId);
  } catch (error) {
    return appErrorResult(error);
  }
  redirect("/dashboard/apps?notice=deleted", RedirectType.replace);
}
