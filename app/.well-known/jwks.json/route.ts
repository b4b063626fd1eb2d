import { protocolRoute } from "@/lib/http/protocol-route";
import { preflight } from "@/lib/oauth/http";
import { jwksResponse } from "@/lib/oauth/well-known";

export const dynamic = "force-dynamic";

export const GET = protocolRoute(true, jwksResponse);

export const OPTIONS = () => preflight("GET");
