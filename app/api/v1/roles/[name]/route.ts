import { readJsonObject } from "@/lib/api/body";
import { managementRoute } from "@/lib/api/handler";
import { toWireRole } from "@/lib/api/rbac-schemas";
import { json, noContent } from "@/lib/api/respond";
import { deleteRole, updateRole } from "@/lib/rbac/roles";

export const dynamic = "force-dynamic";

type Params = { name: string };

/** `PATCH /api/v1/roles/{name}`: changes the description or permissions; holders' next tokens follow. */
export const PATCH = managementRoute<Params>(async ({ request, prisma, actor, params }) => {
  const input = await readJsonObject(request);
  return json(toWireRole(await updateRole(prisma, actor, params.name, input)));
});

/** `DELETE /api/v1/roles/{name}`: 204; 409 while it is the default role. */
export const DELETE = managementRoute<Params>(async ({ prisma, actor, params }) => {
  await deleteRole(prisma, actor, params.name);
  return noContent();
});
