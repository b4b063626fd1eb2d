import { managementRoute } from "@/lib/api/handler";
import { toWireMachineClient } from "@/lib/api/machine-client-schemas";
import { json } from "@/lib/api/respond";
import { completeMachineSecretRotation } from "@/lib/clients/machine-clients";

export const dynamic = "force-dynamic";

/** Makes the new secret the only one. 409 if no rotation is in progress. */
export const POST = managementRoute<{ client_id: string }>(async ({ prisma, actor, params }) => {
  return json(toWireMachineClient(await completeMachineSecretRotation(prisma, actor, params.client_id)));
});
