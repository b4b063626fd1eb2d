"use server";

import { createMachineClient } from "@/lib/clients/machine-clients";
import { appErrorResult, failure, type ActionResult } from "@/lib/dashboard/action-result";
import { machineInputFromForm } from "@/lib/dashboard/machine-client-form";
import { ownerAction } from "@/lib/dashboard/server-actions";

/** Creates a machine client; its secret (none for private_key_jwt) is returned once, to the calling component only. */
export async function createMachineClientAction(form: FormData): Promise<ActionResult<{ clientId: string; clientSecret: string | null }>> {
  return ownerAction(
    "/dashboard/machine-clients/new",
    async ({ prisma, actor }) => {
      if (!(form instanceof FormData)) return failure("Nothing was sent.");
      const { input, fields } = machineInputFromForm(form);
      if (Object.keys(fields).length) return failure("Some settings need fixing.", fields);
      const { client, clientSecret } = await createMachineClient(prisma, actor, input, "dashboard");
      return { clientId: client.client_id, clientSecret };
    },
    appErrorResult,
  );
}
