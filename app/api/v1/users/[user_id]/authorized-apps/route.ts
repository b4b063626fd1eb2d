import { authorizedAppsOf } from "@/lib/api/authorizations";
import { managementRoute } from "@/lib/api/handler";
import { json } from "@/lib/api/respond";

export const dynamic = "force-dynamic";

/** `GET /api/v1/users/{user_id}/authorized-apps`. */
export const GET = managementRoute<{ user_id: string }>(async ({ prisma, params }) => json(await authorizedAppsOf(prisma, params.user_id)));
