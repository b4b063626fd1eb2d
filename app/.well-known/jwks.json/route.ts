import { preflight } from "@/lib/oauth/http";
import { jwksResponse } from "@/lib/oauth/well-known";

export const dynamic = "force-dynamic";

export const GET = jwksResponse;

export const OPTIONS = () => preflight("GET");
