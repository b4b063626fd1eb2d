import { readJsonObject } from "@/lib/api/body";
import { parseFields, selectFields } from "@/lib/api/fields";
import { managementRoute } from "@/lib/api/handler";
import { parseListQuery } from "@/lib/api/list-query";
import { json } from "@/lib/api/respond";
import { toWireApp, toWireAppWithSecret } from "@/lib/api/schemas";
import { createApp, listApps } from "@/lib/clients/apps";

export const dynamic = "force-dynamic";

/** `GET /api/v1/connected-apps?cursor=&limit=&q=&fields=`: one page of apps, oldest first. */
export const GET = managementRoute(async ({ url, prisma }) => {
  const query = parseListQuery(url.searchParams);
  const fields = parseFields(url.searchParams.get("fields"));
  const { apps, nextCursor } = await listApps(prisma, query);
  return json({ data: apps.map((app) => selectFields(toWireApp(app), fields)), next_cursor: nextCursor });
});

/** `POST /api/v1/connected-apps`: creates an app; a confidential one's secret is in this response only. */
export const POST = managementRoute(async ({ request, prisma, config, actor }) => {
  const input = await readJsonObject(request);
  const { app, clientSecret } = await createApp(prisma, actor, input, "api", config);
  return json(toWireAppWithSecret(app, clientSecret), 201, { Location: `/api/v1/connected-apps/${app.client_id}` });
});
