import { protocolRoute } from "@/lib/http/protocol-route";
import { preflight } from "@/lib/oauth/http";
import { discoveryResponse } from "@/lib/oauth/well-known";

export const dynamic = "force-dynamic";

export const GET = protocolRoute(true, discoveryResponse);

export const OPTIONS = () => preflight("GET");
