import { readJsonObject } from "@/lib/api/body";
import { parseFields, selectFields } from "@/lib/api/fields";
import { managementRoute } from "@/lib/api/handler";
import { json, noContent } from "@/lib/api/respond";
import { toWireApp } from "@/lib/api/schemas";
import { deleteApp, getApp, updateApp } from "@/lib/clients/apps";
import { appNotFound } from "@/lib/clients/apps";

export const dynamic = "force-dynamic";

type Params = { client_id: string };

/** `GET /api/v1/connected-apps/{client_id}?fields=`: one app (never its secret). */
export const GET = managementRoute<Params>(async ({ url, prisma, params }) => {
  const fields = parseFields(url.searchParams.get("fields"));
  const app = await getApp(prisma, params.client_id);
  if (!app) throw appNotFound(params.client_id);
  return json(selectFields(toWireApp(app), fields));
});

/** `PATCH /api/v1/connected-apps/{client_id}`: changes some settings; the client type is fixed. */
export const PATCH = managementRoute<Params>(async ({ request, prisma, config, actor, params }) => {
  const input = await readJsonObject(request);
  return json(toWireApp(await updateApp(prisma, actor, params.client_id, input, config)));
});

/** `DELETE /api/v1/connected-apps/{client_id}`: 204. */
export const DELETE = managementRoute<Params>(async ({ prisma, actor, params }) => {
  await deleteApp(prisma, actor, params.client_id);
  return noContent();
});
