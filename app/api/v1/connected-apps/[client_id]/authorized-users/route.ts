import { authorizedUsersOf } from "@/lib/api/authorizations";
import { managementRoute } from "@/lib/api/handler";
import { json } from "@/lib/api/respond";

export const dynamic = "force-dynamic";

/** `GET /api/v1/connected-apps/{client_id}/authorized-users`. */
export const GET = managementRoute<{ client_id: string }>(async ({ prisma, params }) =>
  json(await authorizedUsersOf(prisma, params.client_id)),
);
