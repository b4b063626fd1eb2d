import { readCappedBody } from "@/lib/capped-body";
import { register } from "@/lib/clients/dcr";
import { registrationRoute } from "@/lib/http/protocol-route";
import { preflight, protocolJson } from "@/lib/oauth/http";

export const dynamic = "force-dynamic";

/** RFC 7591 §3: Dynamic Client Registration (only while the owner has DCR on). */
export const POST = registrationRoute(async (ctx, request) => {
  const body = await readCappedBody(request, ctx.config.dcr.maxBodyBytes);
  return protocolJson(await register(ctx, { headers: request.headers, body }), { cors: true, status: 201 });
});

export const OPTIONS = () => preflight("POST");
