import { readBody } from "@/lib/api/body";
import { managementRoute } from "@/lib/api/handler";
import { defaultRoleSchema } from "@/lib/api/rbac-schemas";
import { json } from "@/lib/api/respond";
import { getDefaultRole, setDefaultRole } from "@/lib/rbac/roles";

export const dynamic = "force-dynamic";

/** `GET /api/v1/default-role`: the role new users get. */
export const GET = managementRoute(async ({ prisma }) => json(defaultRoleSchema.parse({ default_role: await getDefaultRole(prisma) })));

/** `PUT /api/v1/default-role`: names another role (or null: none); users who exist keep theirs. */
export const PUT = managementRoute(async ({ request, prisma, actor }) => {
  const { default_role } = await readBody(request, defaultRoleSchema);
  return json(defaultRoleSchema.parse({ default_role: await setDefaultRole(prisma, actor, default_role) }));
});
