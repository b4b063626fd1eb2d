import { revokeAuthorization } from "@/lib/api/authorizations";
import { managementRoute } from "@/lib/api/handler";
import { noContent } from "@/lib/api/respond";

export const dynamic = "force-dynamic";

/** `DELETE /api/v1/users/{user_id}/authorized-apps/{client_id}`: 204. */
export const DELETE = managementRoute<{ user_id: string; client_id: string }>(async ({ prisma, actor, params }) => {
  await revokeAuthorization(prisma, actor, params.user_id, params.client_id);
  return noContent();
});
