"use server";

import { refresh } from "next/cache";
import { requireOwner } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db";
import { failure, ownerActor, type ActionResult } from "@/lib/dashboard/action-result";
import { updateProjectSettings } from "@/lib/settings";

/** Saves the DCR and CIMD toggles (a checkbox left unchecked means off). */
export async function saveProjectSettingsAction(form: FormData): Promise<ActionResult> {
  const owner = await requireOwner("/dashboard/settings");
  if (!(form instanceof FormData)) return failure("Nothing to save.");
  await updateProjectSettings(await getPrisma(), ownerActor(owner), {
    dcr_enabled: form.get("dcr_enabled") === "on",
    cimd_enabled: form.get("cimd_enabled") === "on",
  });
  refresh();
  return { ok: true };
}
