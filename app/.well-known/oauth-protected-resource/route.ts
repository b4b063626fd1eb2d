import { documentRoute } from "@/lib/http/protocol-route";
import { preflight } from "@/lib/oauth/http";
import { protectedResource } from "@/lib/oauth/well-known";

export const dynamic = "force-dynamic";

export const GET = documentRoute(protectedResource);

export const OPTIONS = () => preflight("GET");
