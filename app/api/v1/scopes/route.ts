import { readJsonObject } from "@/lib/api/body";
import { managementRoute } from "@/lib/api/handler";
import { customScopeListSchema, toWireScope } from "@/lib/api/rbac-schemas";
import { json } from "@/lib/api/respond";
import { createCustomScope, listCustomScopes } from "@/lib/rbac/custom-scopes";

export const dynamic = "force-dynamic";

/** `GET /api/v1/scopes`: every custom scope, by name. */
export const GET = managementRoute(async ({ prisma }) =>
  json(customScopeListSchema.parse({ data: await listCustomScopes(prisma) })),
);

/** `POST /api/v1/scopes`: defines a custom scope (201; 409 if the name is taken). */
export const POST = managementRoute(async ({ request, prisma, actor }) => {
  const scope = await createCustomScope(prisma, actor, await readJsonObject(request));
  return json(toWireScope(scope), 201, { Location: `/api/v1/scopes/${encodeURIComponent(scope.name)}` });
});
