import { managementRoute } from "@/lib/api/handler";
import { rolesOfUserOrNotFound } from "@/lib/api/rbac";
import { json } from "@/lib/api/respond";

export const dynamic = "force-dynamic";

/** `GET /api/v1/users/{user_id}/roles`: the user's roles and the permissions they give. */
export const GET = managementRoute<{ user_id: string }>(async ({ prisma, params }) => json(await rolesOfUserOrNotFound(prisma, params.user_id)));
