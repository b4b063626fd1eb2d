import { formRequest, protocolRoute } from "@/lib/http/protocol-route";
import { preflight, protocolJson } from "@/lib/oauth/http";
import { handleDeviceAuthorizationRequest } from "@/lib/oauth/device/device-authorization";

export const dynamic = "force-dynamic";

export const POST = protocolRoute({ cors: true }, async (ctx, request) =>
  protocolJson(await handleDeviceAuthorizationRequest(ctx, await formRequest(request)), { cors: true }),
);

export const OPTIONS = () => preflight("POST");
