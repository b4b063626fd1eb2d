import { readJsonObject } from "@/lib/api/body";
import { notFound } from "@/lib/api/api-error";
import { toWireConnection } from "@/lib/api/connection-schemas";
import { managementRoute } from "@/lib/api/handler";
import { json, noContent } from "@/lib/api/respond";
import { deleteConnection, getConnection, updateConnection } from "@/lib/connections/connections";

export const dynamic = "force-dynamic";

type Params = { slug: string };

/** `GET /api/v1/connections/{slug}`: one connection (never its client secret). */
export const GET = managementRoute<Params>(async ({ prisma, config, params }) => {
  const connection = await getConnection(prisma, config.issuer, params.slug);
  if (!connection) throw notFound(`No connection named ${params.slug}`);
  return json(toWireConnection(connection));
});

/** `PATCH /api/v1/connections/{slug}`: changes some settings; a `client_secret` replaces the stored one and is not echoed. */
export const PATCH = managementRoute<Params>(async ({ request, prisma, actor, config, params }) => {
  const input = await readJsonObject(request);
  return json(toWireConnection(await updateConnection(prisma, actor, config.issuer, params.slug, input)));
});

/** `DELETE /api/v1/connections/{slug}`: 204; its users keep their accounts and lose this way to sign in. */
export const DELETE = managementRoute<Params>(async ({ prisma, actor, params }) => {
  await deleteConnection(prisma, actor, params.slug);
  return noContent();
});
