import { managementRoute } from "@/lib/api/handler";
import { unassignRoleOrNotFound } from "@/lib/api/rbac";
import { noContent } from "@/lib/api/respond";
import { assignRole } from "@/lib/rbac/roles";

export const dynamic = "force-dynamic";

type Params = { user_id: string; role: string };

/** `PUT /api/v1/users/{user_id}/roles/{role}`: gives the user the role (204, also when already held). */
export const PUT = managementRoute<Params>(async ({ prisma, actor, params }) => {
  await assignRole(prisma, actor, params.user_id, params.role);
  return noContent();
});

/** `DELETE /api/v1/users/{user_id}/roles/{role}`: takes the role away (204; 404 when not held). */
export const DELETE = managementRoute<Params>(async ({ prisma, actor, params }) => {
  await unassignRoleOrNotFound(prisma, actor, params.user_id, params.role);
  return noContent();
});
