import { formRequest, protocolRoute } from "@/lib/http/protocol-route";
import { protocolJson } from "@/lib/oauth/http";
import { introspect } from "@/lib/oauth/introspect";

export const dynamic = "force-dynamic";

/** RFC 7662, for resource servers and owners' back ends: not CORS-enabled. */
export const POST = protocolRoute({ cors: false }, async (ctx, request) => protocolJson(await introspect(ctx, await formRequest(request))));
