import { protocolRoute } from "@/lib/http/protocol-route";
import { preflight } from "@/lib/oauth/http";
import { protectedResourceResponse } from "@/lib/oauth/well-known";

export const dynamic = "force-dynamic";

export const GET = protocolRoute(true, async (ctx) => protectedResourceResponse(ctx));

export const OPTIONS = () => preflight("GET");
