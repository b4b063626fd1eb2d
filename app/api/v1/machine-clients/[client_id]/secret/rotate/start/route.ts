import { managementRoute } from "@/lib/api/handler";
import { toWireMachineClientWithSecret } from "@/lib/api/machine-client-schemas";
import { json } from "@/lib/api/respond";
import { startMachineSecretRotation } from "@/lib/clients/machine-clients";

export const dynamic = "force-dynamic";

/** Issues a second secret, returned in this response only; both verify until complete or cancel. 409 if one is pending. */
export const POST = managementRoute<{ client_id: string }>(async ({ prisma, actor, params }) => {
  const { client, clientSecret } = await startMachineSecretRotation(prisma, actor, params.client_id);
  return json(toWireMachineClientWithSecret(client, clientSecret));
});
