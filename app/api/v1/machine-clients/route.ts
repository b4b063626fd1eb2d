import { readJsonObject } from "@/lib/api/body";
import { managementRoute } from "@/lib/api/handler";
import { parseListQuery } from "@/lib/api/list-query";
import { toWireMachineClient, toWireMachineClientWithSecret } from "@/lib/api/machine-client-schemas";
import { json } from "@/lib/api/respond";
import { createMachineClient, listMachineClients } from "@/lib/clients/machine-clients";

export const dynamic = "force-dynamic";

/** `GET /api/v1/machine-clients?cursor=&limit=&q=`: one page of machine clients, oldest first. */
export const GET = managementRoute(async ({ url, prisma }) => {
  const { clients, nextCursor } = await listMachineClients(prisma, parseListQuery(url.searchParams));
  return json({ data: clients.map(toWireMachineClient), next_cursor: nextCursor });
});

/** `POST /api/v1/machine-clients`: creates one; its secret (none for private_key_jwt) is in this response only. */
export const POST = managementRoute(async ({ request, prisma, actor }) => {
  const { client, clientSecret } = await createMachineClient(prisma, actor, await readJsonObject(request), "api");
  return json(toWireMachineClientWithSecret(client, clientSecret), 201, { Location: `/api/v1/machine-clients/${client.client_id}` });
});
