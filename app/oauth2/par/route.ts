import { formRequest, protocolRoute } from "@/lib/http/protocol-route";
import { preflight, protocolJson } from "@/lib/oauth/http";
import { pushAuthorizationRequest } from "@/lib/oauth/par";

export const dynamic = "force-dynamic";

/** RFC 9126 §2: 201 with the request_uri, or an RFC 6749 §5.2 error. */
export const POST = protocolRoute({ cors: true }, async (ctx, request) =>
  protocolJson(await pushAuthorizationRequest(ctx, await formRequest(request)), { cors: true, status: 201 }),
);

export const OPTIONS = () => preflight("POST");
