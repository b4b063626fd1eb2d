"use server";

import { failure, type ActionResult } from "@/lib/dashboard/action-result";
import { ownerAction } from "@/lib/dashboard/server-actions";
import { settingsChangeSchema, updateProjectSettings } from "@/lib/settings";

const PAGE = "/dashboard/settings";

/** Saves the sign-up, DCR and CIMD toggles (a checkbox left unchecked means off). */
export async function saveProjectSettingsAction(form: FormData): Promise<ActionResult> {
  return ownerAction(PAGE, async ({ prisma, actor }) => {
    if (!(form instanceof FormData)) return failure("Nothing to save.");
    const on = (name: string) => form.get(name) === "on";
    await updateProjectSettings(prisma, actor, { signup_enabled: on("signup_enabled"), dcr_enabled: on("dcr_enabled"), cimd_enabled: on("cimd_enabled") });
    return {};
  });
}

/** Saves the resource servers, one URI per line; each refused line gets its own message. */
export async function saveResourceServersAction(form: FormData): Promise<ActionResult> {
  return ownerAction(PAGE, async ({ prisma, config: { development }, actor }) => {
    if (!(form instanceof FormData)) return failure("Nothing to save.");
    const text = form.get("resource_servers");
    const values = typeof text === "string" ? text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean) : [];
    const parsed = settingsChangeSchema(development).safeParse({ resource_servers: values });
    if (!parsed.success) {
      const fields = Object.fromEntries(parsed.error.issues.map((issue) => [`resource_servers[${String(issue.path[1] ?? "")}]`, issue.message]));
      return failure("Some resource servers need fixing.", fields);
    }
    await updateProjectSettings(prisma, actor, { resource_servers: values }, { development });
    return {};
  });
}

/** Saves whether every app must push its authorization requests first (an unchecked box means no). */
export async function savePushedRequestsAction(form: FormData): Promise<ActionResult> {
  return ownerAction(PAGE, async ({ prisma, actor }) => {
    if (!(form instanceof FormData)) return failure("Nothing to save.");
    await updateProjectSettings(prisma, actor, { require_par: form.get("require_par") === "on" });
    return {};
  });
}

/** Saves the access tokens' signing algorithm. */
export async function saveAccessTokenAlgAction(form: FormData): Promise<ActionResult> {
  return ownerAction(PAGE, async ({ prisma, config, actor }) => {
    if (!(form instanceof FormData)) return failure("Nothing to save.");
    const parsed = settingsChangeSchema(config.development).safeParse({ access_token_alg: form.get("access_token_alg") });
    if (!parsed.success) return failure("Choose RS256 or ES256.", { access_token_alg: "must be RS256 or ES256" });
    await updateProjectSettings(prisma, actor, parsed.data);
    return {};
  });
}
