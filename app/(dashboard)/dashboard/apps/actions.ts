"use server";

import { requireOwner } from "@/lib/auth/session";
import { createApp } from "@/lib/clients/apps";
import { getPrisma } from "@/lib/db";
import { appErrorResult, failure, ownerActor, type ActionResult } from "@/lib/dashboard/action-result";
import { createInputFromForm } from "@/lib/dashboard/app-form";

/**
 * Creates an app from the dashboard's create form. A confidential app's
 * secret is returned once, to the calling component only: it is never put
 * in a URL, a cookie or the database.
 */
export async function createAppAction(
  form: FormData,
): Promise<ActionResult<{ clientId: string; clientSecret: string | null }>> {
  const owner = await requireOwner("/dashboard/apps/new");
  const { input, fields } = createInputFromForm(form);
  if (Object.keys(fields).length) return failure("Some settings need fixing.", fields);
  try {
    const { app, clientSecret } = await createApp(await getPrisma(), ownerActor(owner), input, "dashboard");
    return { ok: true, clientId: app.client_id, clientSecret };
  } catch (error) {
    return appErrorResult(error);
  }
}
