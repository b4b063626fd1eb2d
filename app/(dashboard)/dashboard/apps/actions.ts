"use server";

import { createApp } from "@/lib/clients/apps";
import { appErrorResult, failure, type ActionResult } from "@/lib/dashboard/action-result";
import { createInputFromForm } from "@/lib/dashboard/app-form";
import { ownerAction } from "@/lib/dashboard/server-actions";

/**
 * Creates an app from the dashboard's create form. A confidential app's
 * secret is returned once, to the calling component only: it is never put
 * in a URL, a cookie or the database.
 */
export async function createAppAction(form: FormData): Promise<ActionResult<{ clientId: string; clientSecret: string | null }>> {
  return ownerAction(
    "/dashboard/apps/new",
    async ({ prisma, config, actor }) => {
      if (!(form instanceof FormData)) return failure("Invalid input");
      const { input, fields } = createInputFromForm(form);
      if (Object.keys(fields).length) return failure("Some settings need fixing.", fields);
      const { app, clientSecret } = await createApp(prisma, actor, input, "dashboard", config);
      return { clientId: app.client_id, clientSecret };
    },
    appErrorResult,
  );
}
