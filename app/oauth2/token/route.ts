import { formRequest, protocolRoute } from "@/lib/http/protocol-route";
import { preflight, protocolJson } from "@/lib/oauth/http";
import { handleTokenRequest } from "@/lib/oauth/token-endpoint";

export const dynamic = "force-dynamic";

export const POST = protocolRoute({ cors: true }, async (ctx, request) =>
  protocolJson(await handleTokenRequest(ctx, await formRequest(request)), { cors: true }),
);

export const OPTIONS = () => preflight("POST");
