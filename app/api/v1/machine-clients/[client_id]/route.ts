import { readJsonObject } from "@/lib/api/body";
import { managementRoute } from "@/lib/api/handler";
import { toWireMachineClient } from "@/lib/api/machine-client-schemas";
import { json, noContent } from "@/lib/api/respond";
import { appNotFound } from "@/lib/clients/apps";
import { deleteMachineClient, getMachineClient, updateMachineClient } from "@/lib/clients/machine-clients";

export const dynamic = "force-dynamic";

type Params = { client_id: string };

/** `GET /api/v1/machine-clients/{client_id}`: one machine client (never its secret). */
export const GET = managementRoute<Params>(async ({ prisma, params }) => {
  const client = await getMachineClient(prisma, params.client_id);
  if (!client) throw appNotFound(params.client_id, "machine_client");
  return json(toWireMachineClient(client));
});

/** `PATCH /api/v1/machine-clients/{client_id}`: changes some settings; `grants` replaces the grants. */
export const PATCH = managementRoute<Params>(async ({ request, prisma, actor, params }) => {
  const input = await readJsonObject(request);
  return json(toWireMachineClient(await updateMachineClient(prisma, actor, params.client_id, input)));
});

/** `DELETE /api/v1/machine-clients/{client_id}`: 204. */
export const DELETE = managementRoute<Params>(async ({ prisma, actor, params }) => {
  await deleteMachineClient(prisma, actor, params.client_id);
  return noContent();
});
