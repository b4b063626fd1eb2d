import { formRequest, protocolRoute } from "@/lib/http/protocol-route";
import { CORS_HEADERS, preflight } from "@/lib/oauth/http";
import { revokeToken } from "@/lib/oauth/revoke";

export const dynamic = "force-dynamic";

/** RFC 7009: 200 with an empty body whether or not the token was known. */
export const POST = protocolRoute({ cors: true }, async (ctx, request) => {
  await revokeToken(ctx, await formRequest(request));
  return new Response(null, { status: 200, headers: { ...CORS_HEADERS, "Cache-Control": "no-store" } });
});

export const OPTIONS = () => preflight("POST");
