import { managementRoute } from "@/lib/api/handler";
import { json } from "@/lib/api/respond";
import { toWireApp } from "@/lib/api/schemas";
import { cancelSecretRotation } from "@/lib/clients/apps";

export const dynamic = "force-dynamic";

/** Discards the new secret; the current one stays. 409 when no rotation is in progress. */
export const POST = managementRoute<{ client_id: string }>(async ({ prisma, actor, params }) =>
  json(toWireApp(await cancelSecretRotation(prisma, actor, params.client_id))),
);
