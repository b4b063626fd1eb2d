"use server";

import { createConnection } from "@/lib/connections/connections";
import { appErrorResult, failure, type ActionResult } from "@/lib/dashboard/action-result";
import { connectionInputFromForm } from "@/lib/dashboard/connection-form";
import { ownerAction } from "@/lib/dashboard/server-actions";
import { updateProjectSettings } from "@/lib/settings";

const PATH = "/dashboard/connections";

/** Adds a connection; the caller opens its page (which shows the redirect URI to register upstream). */
export async function createConnectionAction(form: FormData): Promise<ActionResult<{ slug: string }>> {
  return ownerAction(
    `${PATH}/new`,
    async ({ prisma, actor, config }) => {
      if (!(form instanceof FormData)) return failure("Nothing was sent.");
      const connection = await createConnection(prisma, actor, config.issuer, connectionInputFromForm(form, "create"));
      return { slug: connection.slug };
    },
    appErrorResult,
  );
}

/** Turns email-and-password sign-in on or off; off is refused (readably) while no enabled project-level connection exists. */
export async function setPasswordSignInAction(enabled: boolean): Promise<ActionResult> {
  return ownerAction(PATH, async ({ prisma, actor }) => {
    if (typeof enabled !== "boolean") return failure("Nothing to save.");
    await updateProjectSettings(prisma, actor, { password_signin_enabled: enabled });
    return {};
  });
}
