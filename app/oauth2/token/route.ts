import { formRequest, protocolRoute } from "@/lib/http/protocol-route";
import { nonceFor } from "@/lib/oauth/dpop/nonce";
import { preflight, protocolJson } from "@/lib/oauth/http";
import { handleTokenRequest } from "@/lib/oauth/token-endpoint";

export const dynamic = "force-dynamic";

export const POST = protocolRoute({ cors: true }, async (ctx, request) => {
  const form = await formRequest(request);
  return protocolJson(await handleTokenRequest(ctx, form), { cors: true, dpopNonce: nonceFor(ctx, form.dpop ?? null) });
});

export const OPTIONS = () => preflight("POST");
