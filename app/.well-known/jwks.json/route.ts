import { documentRoute } from "@/lib/http/protocol-route";
import { preflight } from "@/lib/oauth/http";
import { jwks } from "@/lib/oauth/well-known";

export const dynamic = "force-dynamic";

export const GET = documentRoute(jwks);

export const OPTIONS = () => preflight("GET");
