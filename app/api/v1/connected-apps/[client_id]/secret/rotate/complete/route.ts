import { managementRoute } from "@/lib/api/handler";
import { json } from "@/lib/api/respond";
import { toWireApp } from "@/lib/api/schemas";
import { completeSecretRotation } from "@/lib/clients/apps";

export const dynamic = "force-dynamic";

/** Makes the new secret the only one. 409 when no rotation is in progress. */
export const POST = managementRoute<{ client_id: string }>(async ({ prisma, actor, params }) =>
  json(toWireApp(await completeSecretRotation(prisma, actor, params.client_id))),
);
