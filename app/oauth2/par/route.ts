import { formRequest, protocolRoute } from "@/lib/http/protocol-route";
import { nonceFor } from "@/lib/oauth/dpop/nonce";
import { preflight, protocolJson } from "@/lib/oauth/http";
import { pushAuthorizationRequest } from "@/lib/oauth/par";

export const dynamic = "force-dynamic";

/** RFC 9126 §2: 201 with the request_uri, or an RFC 6749 §5.2 error; a DPoP proof gets a fresh nonce back (RFC 9449 §8.2). */
export const POST = protocolRoute({ cors: true }, async (ctx, request) => {
  const form = await formRequest(request);
  return protocolJson(await pushAuthorizationRequest(ctx, form), { cors: true, status: 201, dpopNonce: nonceFor(ctx, form.dpop ?? null) });
});

export const OPTIONS = () => preflight("POST");
