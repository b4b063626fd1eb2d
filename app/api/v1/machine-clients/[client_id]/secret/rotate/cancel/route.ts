import { managementRoute } from "@/lib/api/handler";
import { toWireMachineClient } from "@/lib/api/machine-client-schemas";
import { json } from "@/lib/api/respond";
import { cancelMachineSecretRotation } from "@/lib/clients/machine-clients";

export const dynamic = "force-dynamic";

/** Discards the new secret. 409 if no rotation is in progress. */
export const POST = managementRoute<{ client_id: string }>(async ({ prisma, actor, params }) => {
  return json(toWireMachineClient(await cancelMachineSecretRotation(prisma, actor, params.client_id)));
});
