import { readJsonObject } from "@/lib/api/body";
import { managementRoute } from "@/lib/api/handler";
import { roleListSchema, toWireRole } from "@/lib/api/rbac-schemas";
import { json } from "@/lib/api/respond";
import { createRole, listRoles } from "@/lib/rbac/roles";

export const dynamic = "force-dynamic";

/** `GET /api/v1/roles`: every role, by name, with its user count and whether it is the default. */
export const GET = managementRoute(async ({ prisma }) => json(roleListSchema.parse({ data: await listRoles(prisma) })));

/** `POST /api/v1/roles`: creates a role (201; 409 if the name is taken). */
export const POST = managementRoute(async ({ request, prisma, actor }) => {
  const role = await createRole(prisma, actor, await readJsonObject(request));
  return json(toWireRole(role), 201, { Location: `/api/v1/roles/${encodeURIComponent(role.name)}` });
});
