import { readJsonObject } from "@/lib/api/body";
import { connectionListSchema, toWireConnection } from "@/lib/api/connection-schemas";
import { managementRoute } from "@/lib/api/handler";
import { json } from "@/lib/api/respond";
import { createConnection, listConnections } from "@/lib/connections/connections";

export const dynamic = "force-dynamic";

/** `GET /api/v1/connections`: every sign-in connection, oldest first (never a client secret). */
export const GET = managementRoute(async ({ prisma, config }) =>
  json(connectionListSchema.parse({ data: await listConnections(prisma, config.issuer) })),
);

/** `POST /api/v1/connections`: adds one (201; 409 if the slug is taken). Its `redirect_uri` is what to register upstream. */
export const POST = managementRoute(async ({ request, prisma, actor, config }) => {
  const connection = await createConnection(prisma, actor, config.issuer, await readJsonObject(request));
  return json(toWireConnection(connection), 201, { Location: `/api/v1/connections/${connection.slug}` });
});
