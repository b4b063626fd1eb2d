import { managementRoute } from "@/lib/api/handler";
import { json } from "@/lib/api/respond";
import { toWireAppWithSecret } from "@/lib/api/schemas";
import { startSecretRotation } from "@/lib/clients/apps";

export const dynamic = "force-dynamic";

/** Issues a second secret, returned in this response only; both verify until complete or cancel. 409 if one is pending. */
export const POST = managementRoute<{ client_id: string }>(async ({ prisma, actor, params }) => {
  const { app, clientSecret } = await startSecretRotation(prisma, actor, params.client_id);
  return json(toWireAppWithSecret(app, clientSecret));
});
