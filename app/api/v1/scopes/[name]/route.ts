import { readJsonObject } from "@/lib/api/body";
import { managementRoute } from "@/lib/api/handler";
import { toWireScope } from "@/lib/api/rbac-schemas";
import { json, noContent } from "@/lib/api/respond";
import { deleteCustomScope, updateCustomScope } from "@/lib/rbac/custom-scopes";

export const dynamic = "force-dynamic";

type Params = { name: string };

/** `PATCH /api/v1/scopes/{name}`: changes the description or permissions. */
export const PATCH = managementRoute<Params>(async ({ request, prisma, actor, params }) => {
  const input = await readJsonObject(request);
  return json(toWireScope(await updateCustomScope(prisma, actor, params.name, input)));
});

/** `DELETE /api/v1/scopes/{name}`: 204; the scope can no longer be granted. */
export const DELETE = managementRoute<Params>(async ({ prisma, actor, params }) => {
  await deleteCustomScope(prisma, actor, params.name);
  return noContent();
});
